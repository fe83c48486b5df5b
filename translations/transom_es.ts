<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>transom::ui::ConnectionEditor</name>
    <message>
        <source>No sign-in</source>
        <translation>Sin inicio de sesión</translation>
    </message>
    <message>
        <source>API key in a header</source>
        <translation>Clave de API en un encabezado</translation>
    </message>
    <message>
        <source>API key as Basic auth user</source>
        <translation>Clave de API como usuario de autenticación Basic</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Token Bearer</translation>
    </message>
    <message>
        <source>OAuth 2.0, client credentials</source>
        <translation>OAuth 2.0, credenciales de cliente</translation>
    </message>
    <message>
        <source>OAuth 2.0, sign in with the browser</source>
        <translation>OAuth 2.0, inicio de sesión en el navegador</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>Token URL</source>
        <translation>URL del token</translation>
    </message>
    <message>
        <source>Sign-in page URL</source>
        <translation>URL de la página de inicio de sesión</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Alcance</translation>
    </message>
    <message>
        <source>API key header</source>
        <translation>Encabezado de la clave de API</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secreto de cliente</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Token de acceso</translation>
    </message>
    <message>
        <source>Webhook signing secret</source>
        <translation>Secreto de firma del webhook</translation>
    </message>
    <message>
        <source>%1 header</source>
        <translation>Encabezado %1</translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation>Conexión %1</translation>
    </message>
    <message>
        <source>Connection editor</source>
        <translation>Editor de conexiones</translation>
    </message>
    <message>
        <source>No preset</source>
        <translation>Sin plantilla</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Plantilla:</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL base</translation>
    </message>
    <message>
        <source>https://api.example.com</source>
        <translation>https://api.example.com</translation>
    </message>
    <message>
        <source>Written wherever the preset&apos;s settings say {base}.</source>
        <translation>Se inserta donde la configuración de la plantilla indique {base}.</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>URL &amp;base:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar conexión</translation>
    </message>
    <message>
        <source>Test the connection</source>
        <translation>Probar la conexión</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Resultado de la prueba de conexión</translation>
    </message>
    <message>
        <source>Why the connection was not saved</source>
        <translation>Motivo por el que no se guardó la conexión</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>%1 (required):</source>
        <translation>%1 (obligatorio):</translation>
    </message>
    <message>
        <source>This connector has no settings.</source>
        <translation>Este conector no tiene configuración.</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Inicio de sesión</translation>
    </message>
    <message>
        <source>How Transom signs in</source>
        <translation>Cómo inicia sesión Transom</translation>
    </message>
    <message>
        <source>&amp;Sign-in:</source>
        <translation>&amp;Inicio de sesión:</translation>
    </message>
    <message>
        <source>Stored; type a new value to replace it</source>
        <translation>Guardado; escriba un valor nuevo para reemplazarlo</translation>
    </message>
    <message>
        <source>Not stored yet</source>
        <translation>Aún no guardado</translation>
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation>Iniciar &amp;sesión…</translation>
    </message>
    <message>
        <source>Sign in with the browser</source>
        <translation>Iniciar sesión en el navegador</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>Estado del inicio de sesión</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Sesión iniciada.</translation>
    </message>
    <message>
        <source>Not signed in yet.</source>
        <translation>Aún no ha iniciado sesión.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>Fill in the token URL and the sign-in page URL first.</source>
        <translation>Primero complete la URL del token y la URL de la página de inicio de sesión.</translation>
    </message>
    <message>
        <source>Fill in the client ID and the client secret first.</source>
        <translation>Primero complete el ID de cliente y el secreto de cliente.</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; cannot be used: %3</source>
        <translation>No se puede usar %1 «%2»: %3</translation>
    </message>
    <message>
        <source>The vendor signed you in but sent no refresh token: Transom could not stay signed in.</source>
        <translation>El proveedor inició su sesión, pero no envió un token de actualización: Transom no pudo mantener la sesión iniciada.</translation>
    </message>
    <message>
        <source>Signed in, but the token could not be stored: %1</source>
        <translation>Sesión iniciada, pero no se pudo guardar el token: %1</translation>
    </message>
    <message>
        <source>Waiting for you to sign in in the browser…</source>
        <translation>Esperando a que inicie sesión en el navegador…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No se guardó: %1</translation>
    </message>
    <message>
        <source>The connection was saved, but not its secrets: %1</source>
        <translation>Se guardó la conexión, pero no sus secretos: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>transom::ui::DeadLetterBrowser</name>
    <message>
        <source>Dead letters</source>
        <translation>Registros fallidos</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>Letter status</source>
        <translation>Estado del registro</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abiertos</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Search dead letters</source>
        <translation>Buscar registros fallidos</translation>
    </message>
    <message>
        <source>Record id, e-mail address, name or message</source>
        <translation>ID de registro, correo electrónico, nombre o mensaje</translation>
    </message>
    <message>
        <source>Number of dead letters</source>
        <translation>Número de registros fallidos</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Refresh the dead letters</source>
        <translation>Actualizar los registros fallidos</translation>
    </message>
    <message>
        <source>Dead letters by error class</source>
        <translation>Registros fallidos por clase de error</translation>
    </message>
    <message>
        <source>Source record</source>
        <translation>Registro de origen</translation>
    </message>
    <message>
        <source>Mapped record</source>
        <translation>Registro asignado</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Problem in the mapped record</source>
        <translation>Problema en el registro asignado</translation>
    </message>
    <message>
        <source>Save edit</source>
        <translation>Guardar cambios</translation>
    </message>
    <message>
        <source>Save the edited mapped record</source>
        <translation>Guardar el registro asignado editado</translation>
    </message>
    <message>
        <source>History of the dead letter</source>
        <translation>Historial del registro fallido</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>Records and error</source>
        <translation>Registros y error</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <source>Dead letters and details</source>
        <translation>Registros fallidos y detalles</translation>
    </message>
    <message>
        <source>How to retry</source>
        <translation>Forma de reintentar</translation>
    </message>
    <message>
        <source>Re-map with the current mapping</source>
        <translation>Volver a asignar con la asignación actual</translation>
    </message>
    <message>
        <source>Send as edited</source>
        <translation>Enviar tal como se editó</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Retry the selected dead letters</source>
        <translation>Reintentar los registros fallidos seleccionados</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Descartar…</translation>
    </message>
    <message>
        <source>Discard the selected dead letters</source>
        <translation>Descartar los registros fallidos seleccionados</translation>
    </message>
    <message>
        <source>Dead letter status</source>
        <translation>Estado del registro fallido</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Todas las tareas</translation>
    </message>
    <message>
        <source>Cannot read the dead letters: %1</source>
        <translation>No se pueden leer los registros fallidos: %1</translation>
    </message>
    <message>
        <source>No dead letters match.</source>
        <translation>Ningún registro fallido coincide.</translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s)</source>
        <translation>
            <numerusform>%n registro fallido</numerusform>
            <numerusform>%n registros fallidos</numerusform>
        </translation>
    </message>
    <message>
        <source>Load more dead letters</source>
        <translation>Cargar más registros fallidos</translation>
    </message>
    <message>
        <source>Showing %1 of %2 dead letters</source>
        <translation>Se muestran %1 de %2 registros fallidos</translation>
    </message>
    <message numerus="yes">
        <source>Load %n more</source>
        <translation>
            <numerusform>Cargar %n más</numerusform>
            <numerusform>Cargar %n más</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) selected.</source>
        <translation>
            <numerusform>%n registro fallido seleccionado.</numerusform>
            <numerusform>%n registros fallidos seleccionados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Class: %1</source>
        <translation>Clase: %1</translation>
    </message>
    <message>
        <source>Job: %1</source>
        <translation>Tarea: %1</translation>
    </message>
    <message>
        <source>Attempts: %1</source>
        <translation>Intentos: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Estado: %1</translation>
    </message>
    <message>
        <source>HTTP status: %1</source>
        <translation>Estado HTTP: %1</translation>
    </message>
    <message>
        <source>Mapped with revision %1</source>
        <translation>Asignado con la revisión %1</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>No se puede leer el historial: %1</translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Línea %1, columna %2: %3</translation>
    </message>
    <message>
        <source>The mapped record is not valid JSON; nothing was saved.</source>
        <translation>El registro asignado no es un JSON válido; no se guardó nada.</translation>
    </message>
    <message>
        <source>Cannot save the edit: %1</source>
        <translation>No se pueden guardar los cambios: %1</translation>
    </message>
    <message>
        <source>Dead letter %1 edited: %2</source>
        <translation>Registro fallido %1 editado: %2</translation>
    </message>
    <message>
        <source>Select dead letters, or an error class, to retry.</source>
        <translation>Seleccione registros fallidos, o una clase de error, para reintentar.</translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n dead letter(s) with the current mapping…</source>
        <translation>
            <numerusform>Reintentando %n registro fallido con la asignación actual…</numerusform>
            <numerusform>Reintentando %n registros fallidos con la asignación actual…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %n dead letter(s) as edited…</source>
        <translation>
            <numerusform>Enviando %n registro fallido tal como se editó…</numerusform>
            <numerusform>Enviando %n registros fallidos tal como se editaron…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) without a mapped record to send: retry re-mapped instead.</source>
        <translation>
            <numerusform>%n registro fallido sin registro asignado que enviar: reinténtelo volviendo a asignarlo.</numerusform>
            <numerusform>%n registros fallidos sin registro asignado que enviar: reinténtelos volviendo a asignarlos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry of %1 failed: %2</source>
        <translation>Falló el reintento de %1: %2</translation>
    </message>
    <message>
        <source>Retry of %1 %2: %3 delivered, %4 still failing.</source>
        <translation>Reintento de %1 (%2): %3 entregados, %4 siguen fallando.</translation>
    </message>
    <message>
        <source>Select dead letters, or an error class, to discard.</source>
        <translation>Seleccione registros fallidos, o una clase de error, para descartar.</translation>
    </message>
    <message>
        <source>Reason for discarding</source>
        <translation>Motivo del descarte</translation>
    </message>
    <message>
        <source>Discard dead letters</source>
        <translation>Descartar registros fallidos</translation>
    </message>
    <message numerus="yes">
        <source>Why discard %n dead letter(s)? The reason is kept in their history.</source>
        <translation>
            <numerusform>¿Por qué descartar %n registro fallido? El motivo se conserva en su historial.</numerusform>
            <numerusform>¿Por qué descartar %n registros fallidos? El motivo se conserva en su historial.</numerusform>
        </translation>
    </message>
    <message>
        <source>Discarding needs a reason, so the history says why.</source>
        <translation>Para descartar se necesita un motivo, así el historial indica por qué.</translation>
    </message>
    <message>
        <source>Cannot discard: %1</source>
        <translation>No se puede descartar: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) discarded: %1</source>
        <translation>
            <numerusform>%n registro fallido descartado: %1</numerusform>
            <numerusform>%n registros fallidos descartados: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving the mapped record</source>
        <translation>Guardar el registro asignado</translation>
    </message>
    <message>
        <source>Error and history</source>
        <translation>Error e historial</translation>
    </message>
</context>
<context>
    <name>transom::ui::DeadLetterModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Source record</source>
        <translation>Registro de origen</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Last failed</source>
        <translation>Último fallo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Field errors</source>
        <translation>Errores de campo</translation>
    </message>
    <message>
        <source>Refused by the destination</source>
        <translation>Rechazados por el destino</translation>
    </message>
    <message>
        <source>Retries used up</source>
        <translation>Reintentos agotados</translation>
    </message>
    <message>
        <source>Credentials refused</source>
        <translation>Credenciales rechazadas</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplicados</translation>
    </message>
    <message>
        <source>Changes the destination cannot take</source>
        <translation>Cambios que el destino no admite</translation>
    </message>
    <message>
        <source>The record changed, but its connection can only create records: sending it again would make a second one. Update it at the destination by hand, or give the connection an update URL.</source>
        <translation>El registro cambió, pero su conexión solo puede crear registros: enviarlo de nuevo crearía un segundo. Actualícelo a mano en el destino o dé a la conexión una URL de actualización.</translation>
    </message>
    <message>
        <source>The mapping could not fill a required field; fix the record or the mapping.</source>
        <translation>La asignación no pudo completar un campo obligatorio; corrija el registro o la asignación.</translation>
    </message>
    <message>
        <source>The destination refused the record (a 4xx answer); fix the record or the destination&apos;s setup.</source>
        <translation>El destino rechazó el registro (respuesta 4xx); corrija el registro o la configuración del destino.</translation>
    </message>
    <message>
        <source>Every retry failed with a temporary error; retry when the destination is back.</source>
        <translation>Todos los reintentos fallaron con un error temporal; reintente cuando el destino vuelva a estar disponible.</translation>
    </message>
    <message>
        <source>The destination refused the credentials; sign in again, then retry.</source>
        <translation>El destino rechazó las credenciales; vuelva a iniciar sesión y luego reintente.</translation>
    </message>
    <message>
        <source>The destination already holds this record.</source>
        <translation>El destino ya contiene este registro.</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>reintentando</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelto</translation>
    </message>
    <message>
        <source>discarded</source>
        <translation>descartado</translation>
    </message>
</context>
<context>
    <name>transom::ui::FieldTreeModel</name>
    <message>
        <source>(rule: %1)</source>
        <translation>(regla: %1)</translation>
    </message>
    <message>
        <source>required, not mapped</source>
        <translation>obligatorio, sin asignar</translation>
    </message>
    <message>
        <source>%1 · %2% empty</source>
        <translation>%1 · %2% vacío</translation>
    </message>
    <message>
        <source>not in the samples</source>
        <translation>no está en las muestras</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <source>%1
Examples: %2</source>
        <translation>%1
Ejemplos: %2</translation>
    </message>
    <message>
        <source>%1 is required by the destination: drag a source field here</source>
        <translation>El destino exige %1: arrastre aquí un campo de origen</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Mapped from</source>
        <translation>Asignado desde</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Mapped value</source>
        <translation>Valor asignado</translation>
    </message>
</context>
<context>
    <name>transom::ui::FieldTreeView</name>
    <message>
        <source>Source fields</source>
        <translation>Campos de origen</translation>
    </message>
    <message>
        <source>Target fields</source>
        <translation>Campos de destino</translation>
    </message>
</context>
<context>
    <name>transom::ui::LinkGutter</name>
    <message>
        <source>Mapping links</source>
        <translation>Vínculos de asignación</translation>
    </message>
</context>
<context>
    <name>transom::ui::LogModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>debug</source>
        <translation>depuración</translation>
    </message>
    <message>
        <source>info</source>
        <translation>información</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>advertencia</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
</context>
<context>
    <name>transom::ui::LogView</name>
    <message>
        <source>Live log</source>
        <translation>Registro en vivo</translation>
    </message>
    <message>
        <source>Minimum level</source>
        <translation>Nivel mínimo</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Todos los niveles</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Información y superiores</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Advertencias y errores</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Solo errores</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Todas las tareas</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>ID de registro</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>Buscar en el registro en vivo</translation>
    </message>
    <message>
        <source>Search messages, records, events</source>
        <translation>Buscar mensajes, registros, eventos</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>Clear the log</source>
        <translation>Vaciar el registro en vivo</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Seguir</translation>
    </message>
    <message>
        <source>Follow the newest line</source>
        <translation>Seguir la línea más reciente</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>Nivel:</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Líneas del registro en vivo</translation>
    </message>
    <message>
        <source>Log line actions</source>
        <translation>Acciones de la línea del registro en vivo</translation>
    </message>
    <message>
        <source>Trace record</source>
        <translation>Rastrear registro</translation>
    </message>
    <message>
        <source>Show only this record</source>
        <translation>Mostrar solo este registro</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Copiar mensaje</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
</context>
<context>
    <name>transom::ui::MappingCanvas</name>
    <message>
        <source>Open samples…</source>
        <translation>Abrir muestras…</translation>
    </message>
    <message>
        <source>Load source samples from a JSON, NDJSON or CSV file, or an API response</source>
        <translation>Cargar muestras de origen desde un archivo JSON, NDJSON o CSV, o desde una respuesta de API</translation>
    </message>
    <message>
        <source>Fetch…</source>
        <translation>Obtener…</translation>
    </message>
    <message>
        <source>Fetch the first page of records from the job&apos;s source connection</source>
        <translation>Obtener la primera página de registros de la conexión de origen de la tarea</translation>
    </message>
    <message>
        <source>Previous record</source>
        <translation>Registro anterior</translation>
    </message>
    <message>
        <source>Next record</source>
        <translation>Registro siguiente</translation>
    </message>
    <message>
        <source>Record number</source>
        <translation>Número de registro</translation>
    </message>
    <message>
        <source>Record </source>
        <translation>Registro </translation>
    </message>
    <message>
        <source>Load target samples (records of the destination) to see its fields</source>
        <translation>Cargue muestras de destino (registros del destino) para ver sus campos</translation>
    </message>
    <message>
        <source>Map selected fields</source>
        <translation>Asignar los campos seleccionados</translation>
    </message>
    <message>
        <source>Add selected source as an input</source>
        <translation>Agregar el origen seleccionado como entrada</translation>
    </message>
    <message>
        <source>Unmap target field</source>
        <translation>Quitar la asignación del campo de destino</translation>
    </message>
    <message>
        <source>Source: %1 (no samples)</source>
        <translation>Origen: %1 (sin muestras)</translation>
    </message>
    <message numerus="yes">
        <source>Source: %1 — %n record(s) from %2</source>
        <translation>
            <numerusform>Origen: %1 — %n registro de %2</numerusform>
            <numerusform>Origen: %1 — %n registros de %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Target: %1</source>
        <translation>Destino: %1</translation>
    </message>
    <message>
        <source>Target: %1 — samples from %2</source>
        <translation>Destino: %1 — muestras de %2</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <source>Drag a source field onto a target field (Shift+drop adds an input). Drop a file on either side to load samples.</source>
        <translation>Arrastre un campo de origen sobre un campo de destino (Mayús+soltar agrega una entrada). Suelte un archivo en cualquiera de los lados para cargar muestras.</translation>
    </message>
</context>
<context>
    <name>transom::ui::MappingSession</name>
    <message>
        <source>Choose where to save the mapping.</source>
        <translation>Elija dónde guardar la asignación.</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>No se puede guardar %1: %2</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>Asignar %1 a %2</translation>
    </message>
    <message>
        <source>Add %1 as an input of %2</source>
        <translation>Agregar %1 como entrada de %2</translation>
    </message>
    <message>
        <source>Unmap %1</source>
        <translation>Quitar la asignación de %1</translation>
    </message>
    <message>
        <source>Change the rules of %1</source>
        <translation>Cambiar las reglas de %1</translation>
    </message>
    <message>
        <source>Make %1 required</source>
        <translation>Hacer obligatorio %1</translation>
    </message>
    <message>
        <source>Make %1 optional</source>
        <translation>Hacer opcional %1</translation>
    </message>
    <message numerus="yes">
        <source>Accept %n suggested mapping(s)</source>
        <translation>
            <numerusform>Aceptar %n asignación sugerida</numerusform>
            <numerusform>Aceptar %n asignaciones sugeridas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>transom::ui::MappingView</name>
    <message>
        <source>Mapping alerts</source>
        <translation>Alertas de asignación</translation>
    </message>
    <message>
        <source>Suggest mappings…</source>
        <translation>Sugerir asignaciones…</translation>
    </message>
    <message>
        <source>Propose source → target pairs from field names and known equivalents</source>
        <translation>Proponer pares origen → destino a partir de los nombres de campo y equivalencias conocidas</translation>
    </message>
    <message>
        <source>Pin sample as check</source>
        <translation>Fijar muestra como comprobación</translation>
    </message>
    <message>
        <source>Keep the current sample and its current output; &quot;Run checks&quot; then flags any difference</source>
        <translation>Conserva la muestra actual y su resultado actual; luego &quot;Ejecutar comprobaciones&quot; señala cualquier diferencia</translation>
    </message>
    <message>
        <source>Pin sample</source>
        <translation>Fijar muestra</translation>
    </message>
    <message>
        <source>Run checks</source>
        <translation>Ejecutar comprobaciones</translation>
    </message>
    <message>
        <source>Preview of the mapped samples</source>
        <translation>Vista previa de las muestras asignadas</translation>
    </message>
    <message>
        <source>Rule steps of the selected cell</source>
        <translation>Pasos de las reglas de la celda seleccionada</translation>
    </message>
    <message>
        <source>%1 of record %2</source>
        <translation>%1 del registro %2</translation>
    </message>
    <message>
        <source>input: %1</source>
        <translation>entrada: %1</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 falló: %2</translation>
    </message>
    <message>
        <source>after %1: %2</source>
        <translation>después de %1: %2</translation>
    </message>
    <message>
        <source>Suggest mappings</source>
        <translation>Sugerir asignaciones</translation>
    </message>
    <message>
        <source>No suggestions: every target field that resembles a source field is mapped.</source>
        <translation>No hay sugerencias: todos los campos de destino que se parecen a un campo de origen ya están asignados.</translation>
    </message>
    <message>
        <source>Suggested mappings</source>
        <translation>Asignaciones sugeridas</translation>
    </message>
    <message>
        <source>%1 → %2   (%3)</source>
        <translation>%1 → %2   (%3)</translation>
    </message>
    <message>
        <source>Map the checked ones</source>
        <translation>Asignar los marcados</translation>
    </message>
    <message>
        <source>Check the pairs to map; nothing changes until you confirm.</source>
        <translation>Marque los pares que desea asignar; no se cambia nada hasta que confirme.</translation>
    </message>
    <message>
        <source>Load source samples first.</source>
        <translation>Primero cargue muestras de origen.</translation>
    </message>
    <message>
        <source>Save the mapping first: checks are kept beside it.</source>
        <translation>Primero guarde la asignación: las comprobaciones se guardan junto a ella.</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>muestra %1</translation>
    </message>
    <message>
        <source>checks file</source>
        <translation>archivo de comprobaciones</translation>
    </message>
    <message>
        <source>New in the samples: %1.</source>
        <translation>Nuevo en las muestras: %1.</translation>
    </message>
    <message>
        <source>Mapped but missing from the samples: %1.</source>
        <translation>Asignado pero ausente en las muestras: %1.</translation>
    </message>
    <message>
        <source>Check &quot;%1&quot; failed: %2</source>
        <translation>La comprobación &quot;%1&quot; falló: %2</translation>
    </message>
    <message numerus="yes">
        <source>All %n check(s) pass.</source>
        <translation>
            <numerusform>Se superó %n comprobación.</numerusform>
            <numerusform>Se superaron las %n comprobaciones.</numerusform>
        </translation>
    </message>
    <message>
        <source>Mapping problem: %1</source>
        <translation>Problema de asignación: %1</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(nada)</translation>
    </message>
</context>
<context>
    <name>transom::ui::PreviewModel</name>
    <message>
        <source>No source samples: open a file or fetch records to preview the mapping.</source>
        <translation>No hay muestras de origen: abra un archivo u obtenga registros para ver la vista previa de la asignación.</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s): %1 clean, %2 with field errors (%3 errors)</source>
        <translation>
            <numerusform>%n muestra: %1 sin errores, %2 con errores de campo (%3 errores)</numerusform>
            <numerusform>%n muestras: %1 sin errores, %2 con errores de campo (%3 errores)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>transom::ui::RuleEditor</name>
    <message>
        <source>Required</source>
        <translation>Obligatorio</translation>
    </message>
    <message>
        <source>A record without a value for this field goes to the dead letters instead of the destination</source>
        <translation>Un registro sin valor en este campo va a la cola de fallidos en lugar de al destino</translation>
    </message>
    <message>
        <source>Rule pipeline</source>
        <translation>Cadena de reglas</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Agregar regla</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Move rule up</source>
        <translation>Subir regla</translation>
    </message>
    <message>
        <source>Move rule down</source>
        <translation>Bajar regla</translation>
    </message>
    <message>
        <source>Value map</source>
        <translation>Asignación de valores</translation>
    </message>
    <message>
        <source>Value in the samples</source>
        <translation>Valor en las muestras</translation>
    </message>
    <message>
        <source>Becomes</source>
        <translation>Se convierte en</translation>
    </message>
    <message>
        <source>Select a target field to edit its rules</source>
        <translation>Seleccione un campo de destino para editar sus reglas</translation>
    </message>
    <message>
        <source>Rules for %1</source>
        <translation>Reglas de %1</translation>
    </message>
    <message>
        <source>Not mapped from a source field (rules only).</source>
        <translation>No asignado desde un campo de origen (solo reglas).</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>Desde: %1</translation>
    </message>
    <message>
        <source>Unknown rule &quot;%1&quot;</source>
        <translation>Regla desconocida &quot;%1&quot;</translation>
    </message>
    <message>
        <source>values separated by ;</source>
        <translation>valores separados por ;</translation>
    </message>
    <message>
        <source>%1  (×%2)</source>
        <translation>%1  (×%2)</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
    <message>
        <source>%1  (not in the samples)</source>
        <translation>%1  (no está en las muestras)</translation>
    </message>
    <message>
        <source>Not in the map yet: type what it becomes</source>
        <translation>Aún no está en la tabla: escriba en qué se convierte</translation>
    </message>
</context>
<context>
    <name>transom::ui::RunPanel</name>
    <message>
        <source>Received</source>
        <translation>Recibidos</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creados</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Actualizados</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Sin cambios</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Reintentos</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Registros fallidos</translation>
    </message>
    <message>
        <source>Field errors</source>
        <translation>Errores de campo</translation>
    </message>
    <message>
        <source>less than a second</source>
        <translation>menos de un segundo</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n segundo</numerusform>
            <numerusform>%n segundos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>in the last %n second(s)</source>
        <translation>
            <numerusform>en el último %n segundo</numerusform>
            <numerusform>en los últimos %n segundos</numerusform>
        </translation>
    </message>
    <message>
        <source>this second</source>
        <translation>en este segundo</translation>
    </message>
    <message>
        <source>this minute</source>
        <translation>en este minuto</translation>
    </message>
    <message>
        <source>this hour</source>
        <translation>en esta hora</translation>
    </message>
    <message>
        <source>today</source>
        <translation>hoy</translation>
    </message>
    <message numerus="yes">
        <source>in this %n-second window</source>
        <translation>
            <numerusform>en esta ventana de %n segundo</numerusform>
            <numerusform>en esta ventana de %n segundos</numerusform>
        </translation>
    </message>
    <message>
        <source>in this window (%1)</source>
        <translation>en esta ventana (%1)</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>segundos</translation>
    </message>
    <message>
        <source>Run panel</source>
        <translation>Panel de ejecución</translation>
    </message>
    <message>
        <source>&amp;Job:</source>
        <translation>&amp;Tarea:</translation>
    </message>
    <message>
        <source>Job to run</source>
        <translation>Tarea que se ejecutará</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Iniciar</translation>
    </message>
    <message>
        <source>Start the job</source>
        <translation>Iniciar la tarea</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Detener</translation>
    </message>
    <message>
        <source>Stop the job</source>
        <translation>Detener la tarea</translation>
    </message>
    <message>
        <source>Run status</source>
        <translation>Estado de la ejecución</translation>
    </message>
    <message>
        <source>Rate budget of the destination</source>
        <translation>Cupo de llamadas del destino</translation>
    </message>
    <message>
        <source>Calls used of the rate budget</source>
        <translation>Llamadas usadas del cupo</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Aún no hay ejecuciones</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Rendimiento</translation>
    </message>
    <message>
        <source>records/s</source>
        <translation>registros/s</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>retries and dead letters/s</source>
        <translation>reintentos y registros fallidos/s</translation>
    </message>
    <message>
        <source>Throughput chart</source>
        <translation>Gráfico de rendimiento</translation>
    </message>
    <message>
        <source>Errors chart</source>
        <translation>Gráfico de errores</translation>
    </message>
    <message>
        <source>%1 needs attention: %2</source>
        <translation>%1 requiere atención: %2</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Listo.</translation>
    </message>
    <message>
        <source>No project is open.</source>
        <translation>No hay ningún proyecto abierto.</translation>
    </message>
    <message>
        <source>Starting %1: delivering the webhook events received…</source>
        <translation>Iniciando %1: entregando los eventos de webhook recibidos…</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>Iniciando %1…</translation>
    </message>
    <message>
        <source>Stopping %1: requests in flight finish first…</source>
        <translation>Deteniendo %1: primero terminan las solicitudes en curso…</translation>
    </message>
    <message>
        <source>Running %1 (run %2)…</source>
        <translation>Ejecutando %1 (ejecución %2)…</translation>
    </message>
    <message>
        <source>%1 completed in %2.</source>
        <translation>%1 se completó en %2.</translation>
    </message>
    <message>
        <source>%1 stopped after %2.</source>
        <translation>%1 se detuvo después de %2.</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 falló: %2</translation>
    </message>
    <message>
        <source>No rate limit</source>
        <translation>Sin límite de llamadas</translation>
    </message>
    <message>
        <source>%1 of %2 calls %3</source>
        <translation>%1 de %2 llamadas %3</translation>
    </message>
    <message>
        <source>About %1 left</source>
        <translation>Quedan aprox. %1</translation>
    </message>
    <message>
        <source>Time left: known once the source has sent its last page</source>
        <translation>Tiempo restante: se sabrá cuando el origen haya enviado su última página</translation>
    </message>
    <message>
        <source>budget resets in %1</source>
        <translation>el cupo se restablece en %1</translation>
    </message>
</context>
<context>
    <name>transom::ui::StudioWindow</name>
    <message>
        <source>The demo project is not installed (looked in %1).</source>
        <translation>El proyecto de demostración no está instalado (se buscó en %1).</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Live log</source>
        <translation>Registro en vivo</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Registros fallidos</translation>
    </message>
    <message>
        <source>Trace of %1</source>
        <translation>Rastreo de %1</translation>
    </message>
    <message>
        <source>Open a project, or start from the demo project.</source>
        <translation>Abra un proyecto o comience con el proyecto de demostración.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>&amp;Abrir proyecto…</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Abrir proyecto</translation>
    </message>
    <message>
        <source>Transom projects (*.json)</source>
        <translation>Proyectos de Transom (*.json)</translation>
    </message>
    <message>
        <source>Open the &amp;demo project</source>
        <translation>Abrir el proyecto de &amp;demostración</translation>
    </message>
    <message>
        <source>Demo project</source>
        <translation>Proyecto de demostración</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>Proyectos recientes</translation>
    </message>
    <message>
        <source>Open &amp;mapping…</source>
        <translation>Abrir asig&amp;nación…</translation>
    </message>
    <message>
        <source>Open mapping</source>
        <translation>Abrir asignación</translation>
    </message>
    <message>
        <source>Mappings (*.json)</source>
        <translation>Asignaciones (*.json)</translation>
    </message>
    <message>
        <source>&amp;Save mapping</source>
        <translation>&amp;Guardar asignación</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>Guardar asignación</translation>
    </message>
    <message>
        <source>Saved %1 (revision %2)</source>
        <translation>Se guardó %1 (revisión %2)</translation>
    </message>
    <message>
        <source>Save mapping &amp;as…</source>
        <translation>Guardar asignación &amp;como…</translation>
    </message>
    <message>
        <source>Save mapping as</source>
        <translation>Guardar asignación como</translation>
    </message>
    <message>
        <source>Open source samples…</source>
        <translation>Abrir muestras de origen…</translation>
    </message>
    <message>
        <source>Open target samples…</source>
        <translation>Abrir muestras de destino…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edición</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Suggest mappings…</source>
        <translation>Sugerir asignaciones…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>E&amp;jecutar</translation>
    </message>
    <message>
        <source>&amp;Start job</source>
        <translation>&amp;Iniciar tarea</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Detener</translation>
    </message>
    <message>
        <source>Refresh dead letters</source>
        <translation>Actualizar registros fallidos</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>User &amp;guide</source>
        <translation>&amp;Guía del usuario</translation>
    </message>
    <message>
        <source>&amp;About Transom</source>
        <translation>&amp;Acerca de Transom</translation>
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation>No se puede abrir %1:
%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Se abrió %1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) from %1</source>
        <translation>
            <numerusform>%n registro de %1</numerusform>
            <numerusform>%n registros de %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n could not be read</source>
        <translation>
            <numerusform>; %n no se pudo leer</numerusform>
            <numerusform>; %n no se pudieron leer</numerusform>
        </translation>
    </message>
    <message>
        <source>Open source samples</source>
        <translation>Abrir muestras de origen</translation>
    </message>
    <message>
        <source>Open target samples</source>
        <translation>Abrir muestras de destino</translation>
    </message>
    <message>
        <source>Records (*.json *.ndjson *.jsonl *.csv);;All files (*)</source>
        <translation>Registros (*.json *.ndjson *.jsonl *.csv);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Fetch samples</source>
        <translation>Obtener muestras</translation>
    </message>
    <message>
        <source>Open a project with a job first.</source>
        <translation>Primero abra un proyecto que tenga una tarea.</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Double-click to edit the connection, sign in or test it</source>
        <translation>Haga doble clic para editar la conexión, iniciar sesión o probarla</translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation>Asignaciones</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tareas</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>Unsaved mapping</source>
        <translation>Asignación sin guardar</translation>
    </message>
    <message>
        <source>The mapping has unsaved changes. Save them first?</source>
        <translation>La asignación tiene cambios sin guardar. ¿Desea guardarlos primero?</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Sin proyecto</translation>
    </message>
    <message>
        <source>%1 — Transom</source>
        <translation>%1 — Transom</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Igual que el sistema</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>A new language applies the next time Transom starts.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que se inicie Transom.</translation>
    </message>
    <message>
        <source>About Transom</source>
        <translation>Acerca de Transom</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Transom %1&lt;/h3&gt;&lt;p&gt;Data bridges for real-estate brokerages: map the records of one system onto another, preview them, and keep them in sync.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Transom %1&lt;/h3&gt;&lt;p&gt;Puentes de datos para agencias inmobiliarias: asigne los registros de un sistema a otro, revíselos en vista previa y manténgalos sincronizados.&lt;/p&gt;&lt;p&gt;Creado con Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>A destination has no records to fetch: open a file with records of %1 instead.</source>
        <translation>Un destino no tiene registros que obtener: en su lugar, abra un archivo con registros de %1.</translation>
    </message>
    <message>
        <source>Fetching the first page from %1…</source>
        <translation>Obteniendo la primera página de %1…</translation>
    </message>
    <message>
        <source>Cannot fetch from %1: %2</source>
        <translation>No se puede obtener de %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) fetched from %1</source>
        <translation>
            <numerusform>%n registro obtenido de %1</numerusform>
            <numerusform>%n registros obtenidos de %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
</context>
<context>
    <name>transom::ui::TraceView</name>
    <message>
        <source>Trace</source>
        <translation>Rastrear</translation>
    </message>
    <message>
        <source>Record trace</source>
        <translation>Rastreo de registros</translation>
    </message>
    <message>
        <source>Record to trace</source>
        <translation>Registro que se rastreará</translation>
    </message>
    <message>
        <source>Record id, e-mail address or name</source>
        <translation>ID de registro, correo electrónico o nombre</translation>
    </message>
    <message>
        <source>Trace the record</source>
        <translation>Rastrear el registro</translation>
    </message>
    <message>
        <source>Trace status</source>
        <translation>Estado del rastreo</translation>
    </message>
    <message>
        <source>Record path</source>
        <translation>Recorrido del registro</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Type a record id, an e-mail address or a name.</source>
        <translation>Escriba un ID de registro, un correo electrónico o un nombre.</translation>
    </message>
    <message>
        <source>Open a project to trace its records.</source>
        <translation>Abra un proyecto para rastrear sus registros.</translation>
    </message>
    <message>
        <source>Searching the logs and dead letters for “%1”…</source>
        <translation>Buscando “%1” en los registros de actividad y los registros fallidos…</translation>
    </message>
    <message>
        <source>No record matches “%1” in the logs or the dead letters.</source>
        <translation>Ningún registro coincide con “%1” en los registros de actividad ni en los registros fallidos.</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) match “%1”.</source>
        <translation>
            <numerusform>%n registro coincide con “%1”.</numerusform>
            <numerusform>%n registros coinciden con “%1”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Record %1</source>
        <translation>Registro %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>ledger</source>
        <translation>control de entregas</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>entregado</translation>
    </message>
    <message>
        <source>delivered as %1</source>
        <translation>entregado como %1</translation>
    </message>
    <message>
        <source>outcome unknown; looked up before any resend</source>
        <translation>resultado desconocido; se consulta antes de cualquier reenvío</translation>
    </message>
    <message>
        <source>dead letter %1</source>
        <translation>registro fallido %1</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
</context>
</TS>

<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>transom::ui::ConnectionEditor</name>
    <message>
        <source>No sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API key in a header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API key as Basic auth user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bearer token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OAuth 2.0, client credentials</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OAuth 2.0, sign in with the browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Token URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in page URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API key header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Access token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Webhook signing secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection editor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preset:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>https://api.example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Written wherever the preset's settings say {base}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test the connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection test result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why the connection was not saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (required):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This connector has no settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How Transom signs in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Sign-in:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stored; type a new value to replace it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not stored yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in with the browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Signed in.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not signed in yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fill in the token URL and the sign-in page URL first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fill in the client ID and the client secret first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 &quot;%2&quot; cannot be used: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The vendor signed you in but sent no refresh token: Transom could not stay signed in.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Signed in, but the token could not be stored: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for you to sign in in the browser…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The connection was saved, but not its secrets: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::DeadLetterBrowser</name>
    <message>
        <source>Dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Letter status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record id, e-mail address, name or message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh the dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letters by error class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mapped record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Problem in the mapped record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the edited mapped record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History of the dead letter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Records and error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letters and details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How to retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re-map with the current mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send as edited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry the selected dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discard…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discard the selected dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letter status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All jobs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read the dead letters: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No dead letters match.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n dead letter(s)</source>
        <translation><numerusform>%n dead letter</numerusform><numerusform>%n dead letters</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Load %n more</source>
        <translation><numerusform>Load %n more</numerusform><numerusform>Load %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) selected.</source>
        <translation><numerusform>%n dead letter selected.</numerusform><numerusform>%n dead letters selected.</numerusform></translation>
    </message>
    <message>
        <source>Class: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attempts: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP status: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mapped with revision %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mapped record is not valid JSON; nothing was saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot save the edit: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letter %1 edited: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select dead letters, or an error class, to retry.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Retrying %n dead letter(s), re-mapped with %1…</source>
        <translation><numerusform>Retrying %n dead letter, re-mapped with %1…</numerusform><numerusform>Retrying %n dead letters, re-mapped with %1…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n dead letter(s), each re-mapped with its job's mapping…</source>
        <translation><numerusform>Retrying %n dead letter, each re-mapped with its job's mapping…</numerusform><numerusform>Retrying %n dead letters, each re-mapped with its job's mapping…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n dead letter(s) as edited…</source>
        <translation><numerusform>Sending %n dead letter as edited…</numerusform><numerusform>Sending %n dead letters as edited…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) without a mapped record to send: retry re-mapped instead.</source>
        <translation><numerusform>%n dead letter without a mapped record to send: retry re-mapped instead.</numerusform><numerusform>%n dead letters without a mapped record to send: retry re-mapped instead.</numerusform></translation>
    </message>
    <message>
        <source>Retry of %1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry of %1 %2: %3 delivered, %4 still failing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select dead letters, or an error class, to discard.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason for discarding</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discard dead letters</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Why discard %n dead letter(s)? The reason is kept in their history.</source>
        <translation><numerusform>Why discard %n dead letter? The reason is kept in their history.</numerusform><numerusform>Why discard %n dead letters? The reason is kept in their history.</numerusform></translation>
    </message>
    <message>
        <source>Discarding needs a reason, so the history says why.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot discard: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) discarded: %1</source>
        <translation><numerusform>%n dead letter discarded: %1</numerusform><numerusform>%n dead letters discarded: %1</numerusform></translation>
    </message>
    <message>
        <source>Saving the mapped record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Error and history</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::DeadLetterModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Field errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refused by the destination</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retries used up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Credentials refused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mapping could not fill a required field; fix the record or the mapping.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The destination refused the record (a 4xx answer); fix the record or the destination's setup.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every retry failed with a temporary error; retry when the destination is back.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The destination refused the credentials; sign in again, then retry.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The destination already holds this record.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>retrying</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>resolved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>discarded</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::FieldTreeModel</name>
    <message>
        <source>(rule: %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>required, not mapped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 · %2% empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not in the samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>⚠ %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1
Examples: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is required by the destination: drag a source field here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mapped from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mapped value</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::FieldTreeView</name>
    <message>
        <source>Source fields</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Target fields</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::LinkGutter</name>
    <message>
        <source>Mapping links</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::LogModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>debug</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::LogView</name>
    <message>
        <source>Live log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Minimum level</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All levels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Info and above</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All jobs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search messages, records, events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Clear the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Follow the newest line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Level:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Log lines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Log line actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show only this record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::MappingCanvas</name>
    <message>
        <source>Open samples…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load source samples from a JSON, NDJSON or CSV file, or an API response</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch the first page of records from the job's source connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load target samples (records of the destination) to see its fields</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Map selected fields</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add selected source as an input</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unmap target field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source: %1 (no samples)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Source: %1 — %n record(s) from %2</source>
        <translation><numerusform>Source: %1 — %n record from %2</numerusform><numerusform>Source: %1 — %n records from %2</numerusform></translation>
    </message>
    <message>
        <source>Target: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Target: %1 — samples from %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Drag a source field onto a target field (Shift+drop adds an input). Drop a file on either side to load samples.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::MappingSession</name>
    <message>
        <source>Choose where to save the mapping.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add %1 as an input of %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unmap %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the rules of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Make %1 required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Make %1 optional</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Accept %n suggested mapping(s)</source>
        <translation><numerusform>Accept %n suggested mapping</numerusform><numerusform>Accept %n suggested mappings</numerusform></translation>
    </message>
</context>
<context>
    <name>transom::ui::MappingView</name>
    <message>
        <source>Mapping alerts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Suggest mappings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Propose source → target pairs from field names and known equivalents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pin sample as check</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep the current sample and its current output; "Run checks" then flags any difference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pin sample</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run checks</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preview of the mapped samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule steps of the selected cell</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of record %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>input: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>after %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Suggest mappings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No suggestions: every target field that resembles a source field is mapped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Suggested mappings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 → %2   (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Map the checked ones</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check the pairs to map; nothing changes until you confirm.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load source samples first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the mapping first: checks are kept beside it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sample %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>checks file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New in the samples: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mapped but missing from the samples: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check "%1" failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>All %n check(s) pass.</source>
        <translation><numerusform>All %n check passes.</numerusform><numerusform>All %n checks pass.</numerusform></translation>
    </message>
    <message>
        <source>Mapping problem: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(nothing)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::PreviewModel</name>
    <message numerus="yes">
        <source>%1: %n field error(s)</source>
        <translation><numerusform>%1: %n field error</numerusform><numerusform>%1: %n field errors</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation><numerusform>…and %n more</numerusform><numerusform>…and %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n field error(s)</source>
        <translation><numerusform>%n field error</numerusform><numerusform>%n field errors</numerusform></translation>
    </message>
    <message>
        <source>No source samples: open a file or fetch records to preview the mapping.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n sample(s): %1 clean, %2 with field errors (%3 errors)</source>
        <translation><numerusform>%n sample: %1 clean, %2 with field errors (%3 errors)</numerusform><numerusform>%n samples: %1 clean, %2 with field errors (%3 errors)</numerusform></translation>
    </message>
</context>
<context>
    <name>transom::ui::RuleEditor</name>
    <message>
        <source>Required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A record without a value for this field goes to the dead letters instead of the destination</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule pipeline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move rule up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move rule down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value map</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value in the samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Becomes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select a target field to edit its rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rules for %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not mapped from a source field (rules only).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown rule "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>values separated by ;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1  (×%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1  (not in the samples)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not in the map yet: type what it becomes</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::RunPanel</name>
    <message>
        <source>Received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unchanged</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Field errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>less than a second</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation><numerusform>%n second</numerusform><numerusform>%n seconds</numerusform></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>in the last %n second(s)</source>
        <translation><numerusform>in the last %n second</numerusform><numerusform>in the last %n seconds</numerusform></translation>
    </message>
    <message>
        <source>this second</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>this minute</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>this hour</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>today</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>in this %n-second window</source>
        <translation><numerusform>in this %n-second window</numerusform><numerusform>in this %n-second window</numerusform></translation>
    </message>
    <message>
        <source>in this window (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run panel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Job:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job to run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start the job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop the job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rate budget of the destination</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Calls used of the rate budget</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No run yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Records</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Throughput</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>records/s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>retries and dead letters/s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Throughput chart</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Errors chart</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 needs attention: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No project is open.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Starting %1: delivering the webhook events received…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Starting %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopping %1: requests in flight finish first…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Running %1 (run %2)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 completed in %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 stopped after %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No rate limit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of %2 calls %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About %1 left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time left: known once the source has sent its last page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>budget resets in %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::StudioWindow</name>
    <message numerus="yes">
        <source>(%n job(s) of the project now use it)</source>
        <translation><numerusform>(%n job of the project now uses it)</numerusform><numerusform>(%n jobs of the project now use it)</numerusform></translation>
    </message>
    <message>
        <source>The demo project is not installed (looked in %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Live log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a project, or start from the demo project.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Transom projects (*.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the &amp;demo project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Demo project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recent projects</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open &amp;mapping…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mappings (*.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Save mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved %1 (revision %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save mapping &amp;as…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save mapping as</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open source samples…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open target samples…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Suggest mappings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Start job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh dead letters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User &amp;guide</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;About Transom</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n record(s) from %1</source>
        <translation><numerusform>%n record from %1</numerusform><numerusform>%n records from %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>; %n could not be read</source>
        <translation><numerusform>; %n could not be read</numerusform><numerusform>; %n could not be read</numerusform></translation>
    </message>
    <message>
        <source>Open source samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open target samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Records (*.json *.ndjson *.jsonl *.csv);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch samples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a project with a job first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Double-click to edit the connection, sign in or test it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mappings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unsaved mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mapping has unsaved changes. Save them first?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 — Transom</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A new language applies the next time Transom starts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Transom</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;h3&gt;Transom %1&lt;/h3&gt;&lt;p&gt;Data bridges for real-estate brokerages: map the records of one system onto another, preview them, and keep them in sync.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A destination has no records to fetch: open a file with records of %1 instead.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetching the first page from %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot fetch from %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n record(s) fetched from %1</source>
        <translation><numerusform>%n record fetched from %1</numerusform><numerusform>%n records fetched from %1</numerusform></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>transom::ui::TraceView</name>
    <message>
        <source>Trace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record trace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record to trace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record id, e-mail address or name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace the record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Record path</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type a record id, an e-mail address or a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a project to trace its records.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Searching the logs and dead letters for “%1”…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No record matches “%1” in the logs or the dead letters.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n record(s) match “%1”.</source>
        <translation><numerusform>%n record match “%1”.</numerusform><numerusform>%n records match “%1”.</numerusform></translation>
    </message>
    <message>
        <source>Record %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ledger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>delivered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>delivered as %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>outcome unknown; looked up before any resend</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>dead letter %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>
#pragma once

// A D-Bus session bus of the test's own, so that what a test sees of the system keychain never depends
// on the machine it runs on (a desktop with GNOME Keyring, a server with a bare D-Bus daemon, a CI root
// with neither) and never touches the user's own keychain. Create it before anything in the process
// talks to D-Bus (initTestCase): the session bus address is read once per process.
//
// - NoBus: the session bus address points at a socket that does not exist.
// - EmptyBus: a real dbus-daemon that offers no services and starts none (no Secret Service).
// - WithKeyring: the same, plus gnome-keyring-daemon (secrets component) with a new login keyring,
//   unlocked, in a temporary home: a real Secret Service.

#include <QByteArray>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

namespace transom::testing {

class PrivateSessionBus {
public:
    enum class Kind { NoBus, EmptyBus, WithKeyring };

    explicit PrivateSessionBus(Kind kind)
    {
        if (!m_dir.isValid()) {
            m_problem = QStringLiteral("cannot create a temporary folder");
            return;
        }
        // QtKeychain picks its backend from the desktop's name: libsecret (the Secret Service) for GNOME.
        qputenv("XDG_CURRENT_DESKTOP", "GNOME");
        qunsetenv("DESKTOP_SESSION");
        qunsetenv("KDE_FULL_SESSION");
        qunsetenv("DISPLAY"); // without a bus address, libdbus would try to autolaunch one through X11
        if (kind == Kind::NoBus) {
            m_address = QStringLiteral("unix:path=%1").arg(m_dir.filePath(QStringLiteral("no-bus")));
            qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
            return;
        }
        if (!startBus())
            return;
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
        if (kind == Kind::WithKeyring)
            startKeyring();
    }

    ~PrivateSessionBus()
    {
        for (QProcess *p : {m_keyring.get(), m_bus.get()}) {
            if (p && p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(3000))
                    p->kill();
                p->waitForFinished(3000);
            }
        }
    }

    PrivateSessionBus(const PrivateSessionBus &) = delete;
    PrivateSessionBus &operator=(const PrivateSessionBus &) = delete;

    bool ok() const { return m_problem.isEmpty(); }
    /// Why the bus (or the keyring) could not be started; empty when it was.
    const QString &problem() const { return m_problem; }
    const QString &address() const { return m_address; }

private:
    bool startBus()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty()) {
            m_problem =
                QStringLiteral("dbus-daemon is not installed (Debian package dbus-daemon; ./dev.sh installs it)");
            return false;
        }
        // A session bus with no service folders: nothing is activated on demand, so a Secret Service is
        // there only when the test starts one.
        const QString config = m_dir.filePath(QStringLiteral("session.conf"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly)) {
            m_problem = QStringLiteral("cannot write %1").arg(config);
            return false;
        }
        file.write(
            QByteArrayLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig>\n"
                              "  <type>session</type>\n"
                              "  <listen>unix:dir=") +
            QFile::encodeName(m_dir.path()) +
            QByteArrayLiteral("</listen>\n"
                              "  <auth>EXTERNAL</auth>\n"
                              "  <policy context=\"default\">\n"
                              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                              "    <allow eavesdrop=\"true\"/>\n"
                              "    <allow own=\"*\"/>\n"
                              "  </policy>\n"
                              "</busconfig>\n"));
        file.close();
        m_bus = std::make_unique<QProcess>();
        m_bus->setProcessChannelMode(QProcess::SeparateChannels);
        m_bus->start(daemon, {QStringLiteral("--config-file=%1").arg(config), QStringLiteral("--print-address=1"),
                              QStringLiteral("--nofork")});
        if (!m_bus->waitForStarted(10000)) {
            m_problem = QStringLiteral("dbus-daemon did not start: %1").arg(m_bus->errorString());
            return false;
        }
        QByteArray line;
        const QDeadlineTimer deadline(10000);
        while (!line.contains('\n') && !deadline.hasExpired() && m_bus->state() == QProcess::Running) {
            m_bus->waitForReadyRead(200);
            line += m_bus->readAllStandardOutput();
        }
        m_address = QString::fromUtf8(line.trimmed());
        if (m_address.isEmpty()) {
            m_problem = QStringLiteral("dbus-daemon printed no address: %1")
                            .arg(QString::fromUtf8(m_bus->readAllStandardError()));
            return false;
        }
        return true;
    }

    void startKeyring()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (daemon.isEmpty()) {
            m_problem = QStringLiteral("gnome-keyring-daemon is not installed (Debian package gnome-keyring; ./dev.sh "
                                       "installs it)");
            return;
        }
        const QString home = m_dir.filePath(QStringLiteral("home"));
        const QString runtime = m_dir.filePath(QStringLiteral("run"));
        QDir().mkpath(home);
        QDir().mkpath(runtime);
        QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);
        m_keyring = std::make_unique<QProcess>();
        m_keyring->setProcessEnvironment(env);
        m_keyring->setProcessChannelMode(QProcess::MergedChannels);
        // --unlock reads the login keyring's password from standard input and creates the keyring.
        m_keyring->start(daemon, {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                                  QStringLiteral("--components=secrets")});
        if (!m_keyring->waitForStarted(10000)) {
            m_problem = QStringLiteral("gnome-keyring-daemon did not start: %1").arg(m_keyring->errorString());
            return;
        }
        m_keyring->write("transom-test-keyring");
        m_keyring->waitForBytesWritten(5000); // no event loop runs here: write now, then send end-of-file
        m_keyring->closeWriteChannel();
        if (!waitForName(QStringLiteral("org.freedesktop.secrets")))
            m_problem = QStringLiteral("gnome-keyring-daemon never offered the Secret Service: %1")
                            .arg(QString::fromUtf8(m_keyring->readAll()));
    }

    /// Polls the private bus until `name` has an owner (the keyring claims its names once it serves).
    bool waitForName(const QString &name)
    {
        QDBusConnection bus = QDBusConnection::connectToBus(m_address, QStringLiteral("transom-test-probe"));
        const QDeadlineTimer deadline(15000);
        bool owned = false;
        while (!owned && !deadline.hasExpired() && m_keyring->state() == QProcess::Running) {
            owned = bus.isConnected() && bus.interface()->isServiceRegistered(name).value();
            if (!owned)
                QThread::msleep(50);
        }
        QDBusConnection::disconnectFromBus(QStringLiteral("transom-test-probe"));
        return owned;
    }

    QTemporaryDir m_dir;
    QString m_address;
    QString m_problem;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_keyring;
};

} // namespace transom::testing

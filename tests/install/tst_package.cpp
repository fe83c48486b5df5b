// The packages as a user gets them: CPack builds the .deb files from this build tree, dpkg-deb unpacks them
// into a scratch root, and the programs are started from there (the studio offscreen).
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestPackage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void packagesAreNamedByVersion();
    void versions_data();
    void versions();
    void mapsTheDemoFromThePackage();
    void resourcesAreInstalled_data();
    void resourcesAreInstalled();
    void docsAndExamplesAreInstalled();
    void desktopIntegration();
    void dependenciesCoverEveryLinkedLibrary();
    void studioSmokeTest();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QString &program, const QStringList &args, int timeoutMs = 60000) const;
    QString root(const QString &path) const { return m_root.filePath(path); }

    QTemporaryDir m_dir;
    QDir m_root;
    QHash<QString, QString> m_debs;            ///< package name → .deb file
    QHash<QString, QSet<QString>> m_depends;   ///< package name → names in its Depends
    QHash<QString, QString> m_packageOfBinary; ///< usr/bin/<name> → package that ships it
};

TestPackage::Run TestPackage::run(const QString &program, const QStringList &args, int timeoutMs) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Nothing from the developer's setup: the packaged programs must find their own files.
    for (const char *name : {"TRANSOM_PRESETS", "TRANSOM_CREDENTIALS", "QT_PLUGIN_PATH", "LD_LIBRARY_PATH"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    const QString home = m_dir.filePath(QStringLiteral("home"));
    QDir().mkpath(home);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(home);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "did not finish within " + QByteArray::number(timeoutMs) + " ms; " + p.readAllStandardError();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// "libc6 (>= 2.34), gnome-keyring | kwalletmanager" → {libc6, gnome-keyring, kwalletmanager}
static QSet<QString> packageNames(const QString &relation)
{
    QSet<QString> names;
    for (const QString &alternative : relation.split(QRegularExpression(QStringLiteral("[,|]")), Qt::SkipEmptyParts)) {
        const QString name = alternative.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0);
        if (!name.isEmpty())
            names.insert(name);
    }
    return names;
}

static QStringList filesIn(const QString &folder)
{
    QStringList names = QDir(folder).entryList(QDir::Files);
    names.sort();
    return names;
}

void TestPackage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QElapsedTimer clock;
    clock.start();
    const QString out = m_dir.filePath(QStringLiteral("packages"));
    const Run cpack = run(QStringLiteral(TRANSOM_CPACK),
                          {QStringLiteral("--config"), QStringLiteral(TRANSOM_CPACK_CONFIG), QStringLiteral("-G"),
                           QStringLiteral("DEB"), QStringLiteral("-B"), out},
                          120000);
    QVERIFY2(cpack.exitCode == 0, (cpack.out + cpack.err).constData());
    qInfo("cpack -G DEB: %lld ms", clock.restart());

    m_root.setPath(m_dir.filePath(QStringLiteral("root")));
    QVERIFY(QDir().mkpath(m_root.path()));
    const QStringList debs = QDir(out).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QVERIFY2(!debs.isEmpty(), "cpack made no .deb");
    for (const QString &deb : debs) {
        const QString file = QDir(out).filePath(deb);
        const Run fields = run(QStringLiteral("dpkg-deb"),
                               {QStringLiteral("-f"), file, QStringLiteral("Package"), QStringLiteral("Depends")});
        QVERIFY2(fields.exitCode == 0, fields.err.constData());
        QString package, depends;
        for (const QString &line : QString::fromUtf8(fields.out).split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("Package:")))
                package = line.mid(8).trimmed();
            else if (line.startsWith(QLatin1String("Depends:")))
                depends = line.mid(8).trimmed();
        }
        QVERIFY2(!package.isEmpty(), qPrintable(deb));
        m_debs.insert(package, file);
        m_depends.insert(package, packageNames(depends));
        const QStringList before = filesIn(root(QStringLiteral("usr/bin")));
        const Run extract = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), file, m_root.path()});
        QVERIFY2(extract.exitCode == 0, extract.err.constData());
        for (const QString &binary : filesIn(root(QStringLiteral("usr/bin"))))
            if (!before.contains(binary))
                m_packageOfBinary.insert(binary, package);
    }
    qInfo("dpkg-deb -x %s: %lld ms", qPrintable(debs.join(QLatin1Char(' '))), clock.elapsed());
}

void TestPackage::packagesAreNamedByVersion()
{
    QVERIFY(m_debs.contains(QStringLiteral("transom")));
    QCOMPARE(m_debs.contains(QStringLiteral("transom-studio")), bool(TRANSOM_PACKAGE_HAS_STUDIO));
    for (auto it = m_debs.cbegin(); it != m_debs.cend(); ++it) {
        const Run version =
            run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), it.value(), QStringLiteral("Version")});
        QCOMPARE(version.out.trimmed(), QByteArray(TRANSOM_VERSION));
        QVERIFY2(QFileInfo(it.value()).fileName().startsWith(it.key() + QStringLiteral("_" TRANSOM_VERSION "_")),
                 qPrintable(it.value()));
    }
    QCOMPARE(m_packageOfBinary.value(QStringLiteral("transom-run")), QStringLiteral("transom"));
    QCOMPARE(m_packageOfBinary.value(QStringLiteral("transom-sandbox")), QStringLiteral("transom"));
}

void TestPackage::versions_data()
{
    QTest::addColumn<QString>("program");
    QTest::newRow("transom-run") << QStringLiteral("transom-run");
    QTest::newRow("transom-sandbox") << QStringLiteral("transom-sandbox");
    QTest::newRow("transom-studio") << QStringLiteral("transom-studio");
}

void TestPackage::versions()
{
    QFETCH(QString, program);
    if (program == QLatin1String("transom-studio") && !TRANSOM_PACKAGE_HAS_STUDIO)
        QSKIP("this build has no studio (TRANSOM_BUILD_STUDIO=OFF)");
    const Run r = run(root(QStringLiteral("usr/bin/") + program), {QStringLiteral("--version")});
    QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    const QString version = QString::fromUtf8(r.out).trimmed();
    if (program == QLatin1String("transom-studio")) // the studio may call itself "Transom Studio"
        QVERIFY2(version.endsWith(QStringLiteral(" " TRANSOM_VERSION)), qPrintable(version));
    else
        QCOMPARE(version, program + QStringLiteral(" " TRANSOM_VERSION));
}

void TestPackage::mapsTheDemoFromThePackage()
{
    // The shipped demo mapping on the shipped demo leads: twelve lines, two leads with impossible phones.
    const Run r =
        run(root(QStringLiteral("usr/bin/transom-run")),
            {QStringLiteral("map"), QStringLiteral("--mapping"),
             root(QStringLiteral("usr/share/transom/mappings/portal-leads-to-crm-event.json")),
             QStringLiteral("--input"), root(QStringLiteral("usr/share/transom/demo/samples/portal-leads.json"))});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.count('\n'), 12);
    QVERIFY2(r.err.contains("12 records: 10 clean, 2 with field errors"), r.err.constData());
}

void TestPackage::resourcesAreInstalled_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("installed");
    for (const char *folder : {"presets", "mappings", "demo", "demo/samples"})
        QTest::newRow(folder) << QStringLiteral(TRANSOM_RESOURCES "/") + QLatin1String(folder)
                              << QStringLiteral("usr/share/transom/") + QLatin1String(folder);
}

void TestPackage::resourcesAreInstalled()
{
    QFETCH(QString, source);
    QFETCH(QString, installed);
    QVERIFY(!filesIn(source).isEmpty());
    QCOMPARE(filesIn(root(installed)), filesIn(source));
}

void TestPackage::docsAndExamplesAreInstalled()
{
    for (const char *doc : {"README.md", "CHANGELOG.md", "user-guide.md", "rules.md", "server.md",
                            "examples/transom-run@.service", "examples/transom.sysusers.conf"})
        QVERIFY2(QFileInfo(root(QStringLiteral("usr/share/doc/transom/")) + QLatin1String(doc)).isFile(), doc);
}

void TestPackage::desktopIntegration()
{
    if (!TRANSOM_PACKAGE_HAS_STUDIO)
        QSKIP("this build has no studio (TRANSOM_BUILD_STUDIO=OFF)");
    const QString desktop = root(QStringLiteral("usr/share/applications/transom-studio.desktop"));
    QFile desktopFile(desktop);
    QVERIFY2(desktopFile.open(QIODevice::ReadOnly), qPrintable(desktop));
    const QByteArray entry = desktopFile.readAll();
    QVERIFY(entry.contains("\nExec=transom-studio"));
    QVERIFY(entry.contains("\nIcon=transom-studio\n"));
    QVERIFY(QFileInfo(root(QStringLiteral("usr/share/icons/hicolor/scalable/apps/transom-studio.svg"))).isFile());

    const QStringList metainfo =
        QDir(root(QStringLiteral("usr/share/metainfo"))).entryList({QStringLiteral("*.metainfo.xml")}, QDir::Files);
    QCOMPARE(metainfo.size(), 1);
    const QString metainfoPath = root(QStringLiteral("usr/share/metainfo/")) + metainfo.first();
    QFile metainfoFile(metainfoPath);
    QVERIFY(metainfoFile.open(QIODevice::ReadOnly));
    const QByteArray component = metainfoFile.readAll();
    QVERIFY(component.contains("<launchable type=\"desktop-id\">transom-studio.desktop</launchable>"));
    QVERIFY(component.contains("<release version=\"" TRANSOM_VERSION "\""));

    // The validators (desktop-file-utils, appstream: dev.sh installs them, so the check never depends on
    // what a machine happens to have).
    const QString validate = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    QVERIFY2(!validate.isEmpty(), "desktop-file-validate is not installed (Debian package desktop-file-utils)");
    const Run checked = run(validate, {desktop});
    QVERIFY2(checked.exitCode == 0 && checked.out.isEmpty(), (checked.out + checked.err).constData());
    const QString appstream = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
    QVERIFY2(!appstream.isEmpty(), "appstreamcli is not installed (Debian package appstream)");
    const Run validated = run(
        appstream, {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral("--strict"), metainfoPath});
    QVERIFY2(validated.exitCode == 0, (validated.out + validated.err).constData());
}

void TestPackage::dependenciesCoverEveryLinkedLibrary()
{
    // Every library a packaged program links directly must come from a package its .deb depends on.
    QVERIFY(!m_packageOfBinary.isEmpty());
    for (auto it = m_packageOfBinary.cbegin(); it != m_packageOfBinary.cend(); ++it) {
        const QString binary = root(QStringLiteral("usr/bin/") + it.key());
        const Run elf = run(QStringLiteral("readelf"), {QStringLiteral("--dynamic"), binary});
        QVERIFY2(elf.exitCode == 0, elf.err.constData());
        QStringList needed;
        static const QRegularExpression neededLine(QStringLiteral(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])"));
        for (auto m = neededLine.globalMatch(QString::fromUtf8(elf.out)); m.hasNext();)
            needed.append(m.next().captured(1));
        QVERIFY2(!needed.isEmpty(), qPrintable(binary));

        const Run ldd = run(QStringLiteral("ldd"), {binary});
        QVERIFY2(ldd.exitCode == 0, ldd.err.constData());
        QHash<QString, QString> resolved; // soname → path: "libfoo.so.1 => /lib/…" or "/lib64/ld-linux….so.2 (…)"
        static const QRegularExpression lddLine(QStringLiteral(R"(^\s*(?:(\S+) => )?(/\S+))"),
                                                QRegularExpression::MultilineOption);
        for (auto m = lddLine.globalMatch(QString::fromUtf8(ldd.out)); m.hasNext();) {
            const auto match = m.next();
            const QString path = match.captured(2);
            resolved.insert(match.hasCaptured(1) ? match.captured(1) : QFileInfo(path).fileName(), path);
        }
        // dpkg knows each file under the path it was unpacked to: /lib or /usr/lib (merged /usr), link or target.
        QStringList candidates;
        for (const QString &soname : std::as_const(needed)) {
            QVERIFY2(resolved.contains(soname), qPrintable(it.key() + QStringLiteral(" needs ") + soname +
                                                           QStringLiteral(", which this machine does not have")));
            const QString path = resolved.value(soname);
            for (const QString &p : {path, QFileInfo(path).canonicalFilePath()}) {
                candidates << p;
                candidates << (p.startsWith(QLatin1String("/usr/")) ? p.mid(4) : QStringLiteral("/usr") + p);
            }
        }
        const Run owners = run(QStringLiteral("dpkg-query"), QStringList{QStringLiteral("--search")} + candidates);
        QHash<QString, QString> packageOf; // path → package
        for (const QString &line : QString::fromUtf8(owners.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const qsizetype colon = line.indexOf(QLatin1String(": "));
            if (colon > 0)
                packageOf.insert(line.mid(colon + 2).trimmed(), line.left(colon).section(QLatin1Char(':'), 0, 0));
        }
        const QSet<QString> depends = m_depends.value(it.value());
        for (const QString &soname : std::as_const(needed)) {
            const QString path = resolved.value(soname);
            QString package;
            for (const QString &p : {path, QFileInfo(path).canonicalFilePath()})
                for (const QString &c :
                     {p, p.startsWith(QLatin1String("/usr/")) ? p.mid(4) : QStringLiteral("/usr") + p})
                    if (package.isEmpty())
                        package = packageOf.value(c);
            QVERIFY2(!package.isEmpty(), qPrintable(QStringLiteral("no package owns %1").arg(path)));
            QVERIFY2(depends.contains(package),
                     qPrintable(QStringLiteral("%1 links %2 from package %3, which %4's Depends does not name "
                                               "(installer/CMakeLists.txt)")
                                    .arg(it.key(), soname, package, it.value())));
        }
    }
    // What no ELF header shows: the SQLite driver, the time-zone data and, for the studio, the platform plugins.
    QVERIFY(m_depends.value(QStringLiteral("transom")).contains(QStringLiteral("libqt6sql6-sqlite")));
    QVERIFY(m_depends.value(QStringLiteral("transom")).contains(QStringLiteral("tzdata")));
    if (TRANSOM_PACKAGE_HAS_STUDIO)
        QVERIFY(m_depends.value(QStringLiteral("transom-studio")).contains(QStringLiteral("qt6-qpa-plugins")));
}

void TestPackage::studioSmokeTest()
{
    if (!TRANSOM_PACKAGE_HAS_STUDIO)
        QSKIP("this build has no studio (TRANSOM_BUILD_STUDIO=OFF)");
    // Opens the demo project, shows the main window and quits after the first paint with exit code 0.
    const Run r = run(root(QStringLiteral("usr/bin/transom-studio")), {QStringLiteral("--smoke-test")}, 45000);
    QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    // The demo it opened is the packaged one, copied into the user's data folder with its paths filled in.
    QFile demo(m_dir.filePath(QStringLiteral("home/.local/share/Transom/transom-studio/demo/project.json")));
    QVERIFY2(demo.open(QIODevice::ReadOnly), qPrintable(demo.fileName()));
    QVERIFY(demo.readAll().contains(QDir(root(QStringLiteral("usr/share/transom"))).canonicalPath().toUtf8()));
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"

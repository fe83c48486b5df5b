// transom-studio: the desktop studio. Parses arguments and opens the main window from transom_ui.
#include "ui/studiowindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Transom"));
    QApplication::setApplicationName(QStringLiteral("transom-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("Transom"));
    QApplication::setApplicationVersion(QStringLiteral(TRANSOM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("transom-studio"));
    transom::ui::applyPreferences(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Transom studio: map records between the systems a brokerage uses, preview them, run the sync."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QApplication::translate("main", "Project file to open (default: the last one, or the demo)."));
    const QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open the demo project."));
    const QCommandLineOption smoke(
        QStringLiteral("smoke-test"),
        QApplication::translate(
            "main", "Open the project, show the window, quit after the first paint (exit 0 when all went well)."));
    parser.addOption(demo);
    parser.addOption(smoke);
    parser.process(app);

    transom::ui::StudioWindow window;
    QString project = parser.positionalArguments().value(0);
    QString error;
    if (project.isEmpty() && !parser.isSet(demo)) {
        const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
        if (!recent.isEmpty() && QFileInfo::exists(recent.first()))
            project = recent.first();
    }
    if (project.isEmpty())
        project = transom::ui::StudioWindow::demoProjectPath(&error);
    bool opened = !project.isEmpty() && window.openProject(project, parser.isSet(smoke) ? &error : nullptr);
    window.show();
    if (parser.isSet(smoke)) {
        QTimer::singleShot(0, &app, [&] {
            window.repaint();
            if (!opened)
                std::fprintf(stderr, "transom-studio: %s\n", qPrintable(error));
            QApplication::exit(opened ? 0 : 1);
        });
    }
    return QApplication::exec();
}

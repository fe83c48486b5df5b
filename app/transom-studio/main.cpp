// transom-studio: the desktop studio. Being written; the window comes from transom_ui.
#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    return 0;
}

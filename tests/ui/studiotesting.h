#pragma once
// Shared set-up for the studio tests: the demo mapping with the demo samples, and a real drag and drop
// between two views (Qt Test has no drag support, so the events a drop delivers are sent by hand).

#include "ui/mappingsession.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QTest>
#include <QTranslator>

namespace transom::testing {

/// Installs the studio's English translation (plural forms: "1 record", "2 records"), as the app does.
inline void installEnglish()
{
    static QTranslator translator;
    if (!translator.load(QStringLiteral(":/i18n/transom_en.qm")))
        qFatal("the English translation is not in the resources");
    QCoreApplication::installTranslator(&translator);
}

inline mapping::MappingDocument demoMapping()
{
    auto doc =
        mapping::MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
    if (!doc)
        qFatal("the demo mapping is missing");
    return doc.value();
}

inline ui::SampleSet demoLeads()
{
    auto samples = ui::loadSamples(QStringLiteral(TRANSOM_RESOURCES "/demo/samples/portal-leads.json"));
    if (!samples)
        qFatal("the demo leads are missing");
    return samples.value();
}

/// Drags the items `from` (in their view) and drops them on `to` in `target`, with `modifiers` held.
/// Returns whether the target accepted the drop.
inline bool dragAndDrop(QAbstractItemView *source, const QModelIndexList &from, QAbstractItemView *target,
                        const QModelIndex &to, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    std::unique_ptr<QMimeData> mime(source->model()->mimeData(from));
    if (!mime)
        return false;
    target->scrollTo(to);
    const QPoint at = target->visualRect(to).center();
    QWidget *viewport = target->viewport();
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::LinkAction, mime.get(), Qt::LeftButton, modifiers);
    QApplication::sendEvent(viewport, &enter);
    if (!enter.isAccepted())
        return false;
    QDragMoveEvent move(at, Qt::CopyAction | Qt::LinkAction, mime.get(), Qt::LeftButton, modifiers);
    QApplication::sendEvent(viewport, &move);
    if (!move.isAccepted())
        return false;
    QDropEvent drop(at, Qt::CopyAction | Qt::LinkAction, mime.get(), Qt::LeftButton, modifiers);
    QApplication::sendEvent(viewport, &drop);
    return drop.isAccepted();
}

} // namespace transom::testing

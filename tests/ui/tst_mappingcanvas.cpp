// The mapping canvas: field trees from the samples, drag and drop and keyboard mapping, undo/redo,
// the links between the trees, required fields that stand out.
#include "studiotesting.h"
#include "ui/elidedlabel.h"
#include "ui/mappingcanvas.h"

#include <QAbstractItemModelTester>
#include <QHBoxLayout>
#include <QTest>

using namespace transom;
using namespace transom::ui;

class TestMappingCanvas : public QObject {
    Q_OBJECT

    /// The demo mapping without any field mappings: a blank canvas over the demo samples.
    static mapping::MappingDocument blankDemo()
    {
        mapping::MappingDocument doc = testing::demoMapping();
        doc.fields.clear();
        return doc;
    }

private Q_SLOTS:
    void initTestCase() { testing::installEnglish(); }

    void modelsPassTheModelTester()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        FieldTreeModel source(&session, Side::Source);
        FieldTreeModel target(&session, Side::Target);
        QAbstractItemModelTester sourceTester(&source, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester targetTester(&target, QAbstractItemModelTester::FailureReportingMode::QtTest);
        session.setSamples(Side::Source, testing::demoLeads());
        session.setCurrentRecord(3);
        session.mapField(QStringLiteral("person.lastName"), QStringLiteral("first_name"), mapping::MapMode::Replace);
        session.undoStack()->undo();
        session.unmapField(QStringLiteral("property.city"));
        session.reset(blankDemo());
        QVERIFY(source.rowCount() > 0);
        QVERIFY(target.rowCount() > 0);
    }

    void longTitlesAreElidedWithTheFullTextInTheTooltip()
    {
        // Issue 18: "12 records from portal-l" was cut off mid-word with no way to read the rest.
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source,
                           samplesFrom(QStringLiteral("portal-leads-exported-by-the-office-in-november.json"),
                                       testing::demoLeads().records));
        MappingCanvas canvas(&session);
        canvas.resize(620, 400);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        ElidedLabel *title = canvas.sourceTitle();
        const QString full = QStringLiteral(
            "Source: portal.lead — 12 records from portal-leads-exported-by-the-office-in-november.json");
        QCOMPARE(title->text(), full);
        QVERIFY2(title->isElided(), qPrintable(title->displayedText()));
        QVERIFY2(title->displayedText().endsWith(QChar(0x2026)), qPrintable(title->displayedText()));
        QVERIFY(title->fontMetrics().horizontalAdvance(title->displayedText()) <= title->contentsRect().width());
        QCOMPARE(title->toolTip(), full);
        // Wide enough, the whole text shows and the tooltip has nothing to add.
        canvas.resize(2400, 400);
        QTRY_VERIFY(!title->isElided());
        QCOMPARE(title->displayedText(), full);
        QVERIFY(title->toolTip().isEmpty());
    }

    void treesShowTheSamples()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        FieldTreeModel source(&session, Side::Source);
        const QModelIndex city = source.indexOfPath(QStringLiteral("property.city"));
        QVERIFY(city.isValid());
        QCOMPARE(city.data().toString(), QStringLiteral("city"));
        QCOMPARE(city.parent().data().toString(), QStringLiteral("property"));
        QVERIFY(
            city.siblingAtColumn(FieldTreeModel::DetailColumn).data().toString().startsWith(QLatin1String("string")));
        QCOMPARE(city.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString(), QStringLiteral("Austin"));
        // The record navigator moves the values.
        const QModelIndex id = source.indexOfPath(QStringLiteral("lead_id"));
        QCOMPARE(id.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString(), QStringLiteral("ZL-100000"));
        session.setCurrentRecord(5);
        QCOMPARE(id.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString(), QStringLiteral("ZL-100005"));

        // Target side: mapped values of the current record, and field errors in place.
        FieldTreeModel target(&session, Side::Target);
        const QModelIndex first = target.indexOfPath(QStringLiteral("person.firstName"));
        QCOMPARE(first.siblingAtColumn(FieldTreeModel::DetailColumn).data().toString(), QStringLiteral("first_name"));
        QVERIFY(!first.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString().isEmpty());
    }

    void dropMapsAndUndoRedo()
    {
        MappingSession session;
        session.reset(blankDemo());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingCanvas canvas(&session);
        canvas.resize(1000, 700);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        FieldTreeView *source = canvas.sourceView();
        FieldTreeView *target = canvas.targetView();

        // A required target field nobody maps stands out.
        const QModelIndex firstName = target->fieldModel()->indexOfPath(QStringLiteral("person.firstName"));
        QVERIFY(firstName.data(FieldTreeModel::RequiredUnmappedRole).toBool());
        QCOMPARE(firstName.siblingAtColumn(FieldTreeModel::DetailColumn).data().toString(),
                 QStringLiteral("required, not mapped"));

        const QModelIndex first = source->fieldModel()->indexOfPath(QStringLiteral("first_name"));
        QVERIFY(testing::dragAndDrop(source, {first}, target, firstName));
        QCOMPARE(session.document().fields.size(), 1);
        QCOMPARE(session.document().fields.first().target, QStringLiteral("person.firstName"));
        QCOMPARE(session.document().fields.first().from, QStringList{QStringLiteral("first_name")});
        QVERIFY(!firstName.data(FieldTreeModel::RequiredUnmappedRole).toBool());
        QVERIFY(canvas.gutter()->links().contains({QStringLiteral("first_name"), QStringLiteral("person.firstName")}));
        QCOMPARE(session.selectedTarget(), QStringLiteral("person.firstName"));

        // A plain drop replaces; a drop with Shift adds a further input.
        const QModelIndex last = source->fieldModel()->indexOfPath(QStringLiteral("last_name"));
        QVERIFY(testing::dragAndDrop(source, {last}, target, firstName, Qt::ShiftModifier));
        QCOMPARE(session.document().fields.first().from,
                 (QStringList{QStringLiteral("first_name"), QStringLiteral("last_name")}));
        QVERIFY(testing::dragAndDrop(source, {last}, target, firstName));
        QCOMPARE(session.document().fields.first().from, QStringList{QStringLiteral("last_name")});

        // Every drop is one undoable step.
        QCOMPARE(session.undoStack()->count(), 3);
        session.undoStack()->undo();
        QCOMPARE(session.document().fields.first().from,
                 (QStringList{QStringLiteral("first_name"), QStringLiteral("last_name")}));
        session.undoStack()->undo();
        session.undoStack()->undo();
        QVERIFY(session.document().fields.isEmpty());
        QVERIFY(canvas.gutter()->links().isEmpty());
        session.undoStack()->redo();
        QCOMPARE(session.document().fields.first().from, QStringList{QStringLiteral("first_name")});

        // A drop of something that is not a field is refused.
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QDragEnterEvent enter(target->visualRect(firstName).center(), Qt::CopyAction, &text, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(target->viewport(), &enter);
        QVERIFY(!enter.isAccepted());
    }

    void keyboardMapsAndUnmaps()
    {
        MappingSession session;
        session.reset(blankDemo());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingCanvas canvas(&session);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        canvas.sourceView()->selectPath(QStringLiteral("property.city"));
        canvas.targetView()->selectPath(QStringLiteral("property.city"));
        canvas.targetView()->setFocus();
        QTest::keyClick(canvas.targetView(), Qt::Key_M, Qt::ControlModifier);
        QCOMPARE(mapping::fieldIndexOf(session.document(), QStringLiteral("property.city")), 0);
        QCOMPARE(session.document().fields.first().from, QStringList{QStringLiteral("property.city")});
        canvas.sourceView()->selectPath(QStringLiteral("city"));
        canvas.sourceView()->selectPath(QStringLiteral("property.state"));
        QTest::keyClick(canvas.targetView(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(session.document().fields.first().from,
                 (QStringList{QStringLiteral("property.city"), QStringLiteral("property.state")}));
        QTest::keyClick(canvas.targetView(), Qt::Key_Delete);
        QVERIFY(session.document().fields.isEmpty());
        session.undoStack()->undo();
        QCOMPARE(session.document().fields.size(), 1);
    }

    void arraySourcesMapToTheFirstElement()
    {
        MappingSession session;
        mapping::MappingDocument doc = blankDemo();
        session.reset(doc);
        session.setSamples(
            Side::Source,
            samplesFrom(
                QStringLiteral("inline"),
                {QJsonObject{{QStringLiteral("emails"),
                              QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral("a@b.example")}}}}}}));
        MappingCanvas canvas(&session);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        const QModelIndex email = canvas.sourceView()->fieldModel()->indexOfPath(QStringLiteral("emails[].value"));
        QVERIFY(email.isValid());
        const QModelIndex target =
            canvas.targetView()->fieldModel()->indexOfPath(QStringLiteral("person.emails[0].value"));
        QVERIFY(testing::dragAndDrop(canvas.sourceView(), {email}, canvas.targetView(), target));
        QCOMPARE(session.document().fields.first().from, QStringList{QStringLiteral("emails[0].value")});
        const QModelIndex mapped =
            canvas.targetView()->fieldModel()->indexOfPath(QStringLiteral("person.emails[0].value"));
        QCOMPARE(mapped.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString(), QStringLiteral("a@b.example"));
    }
};

QTEST_MAIN(TestMappingCanvas)
#include "tst_mappingcanvas.moc"

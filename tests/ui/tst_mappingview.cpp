// The mapping view: live preview (errors marked and explained, off the UI thread for big samples),
// the rule editor driving it, the value map editor, the step view, suggestions, checks and drift.
#include "studiotesting.h"
#include "ui/mappingcanvas.h"
#include "ui/mappingview.h"
#include "ui/previewmodel.h"
#include "ui/ruleeditor.h"
#include "ui/valuechoicedelegate.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

using namespace transom;
using namespace transom::ui;

class TestMappingView : public QObject {
    Q_OBJECT

    /// Column of `target` in the preview.
    static int columnOf(const PreviewModel &preview, const QString &target)
    {
        for (int c = 0; c < preview.columnCount(); ++c)
            if (preview.targetOf(c) == target)
                return c;
        return -1;
    }

private Q_SLOTS:
    void initTestCase() { testing::installEnglish(); }

    void previewMarksErrors()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        PreviewModel preview(&session);
        QAbstractItemModelTester tester(&preview, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(preview.rowCount(), 0);
        session.setSamples(Side::Source, testing::demoLeads());
        QCOMPARE(preview.rowCount(), 12);
        QCOMPARE(preview.recordsWithErrors(), 2);
        QCOMPARE(preview.summary(), QStringLiteral("12 samples: 10 clean, 2 with field errors (2 errors)"));
        const int phone = columnOf(preview, QStringLiteral("person.phones[0].value"));
        QVERIFY(phone >= 0);
        int marked = 0;
        for (int r = 0; r < preview.rowCount(); ++r) {
            const QString error = preview.index(r, phone).data(PreviewModel::ErrorRole).toString();
            if (error.isEmpty())
                continue;
            ++marked;
            QVERIFY2(error.startsWith(QLatin1String("Phone number failed: ")), qPrintable(error));
            QCOMPARE(preview.index(r, phone).data(Qt::ToolTipRole).toString(), error);
            QVERIFY(preview.index(r, phone).data(Qt::BackgroundRole).isValid());
        }
        QCOMPARE(marked, 2);
        QCOMPARE(preview.headerData(0, Qt::Vertical).toString(), QStringLiteral("ZL-100000"));
    }

    void unmappedRequiredFieldsFailEveryRow()
    {
        // Issue 18: with required firstName and e-mail unmapped the preview said "12 clean".
        MappingSession session;
        session.reset(testing::demoMapping());
        session.unmapField(QStringLiteral("person.firstName"));
        session.unmapField(QStringLiteral("person.emails[0].value"));
        PreviewModel preview(&session);
        QAbstractItemModelTester tester(&preview, QAbstractItemModelTester::FailureReportingMode::QtTest);
        session.setSamples(Side::Source, testing::demoLeads());
        QCOMPARE(preview.rowCount(), 12);
        QCOMPARE(preview.recordsWithErrors(), 12);
        QCOMPARE(preview.fieldErrors(), 12 * 2 + 2); // two unmapped fields on every lead, two bad phones
        QVERIFY2(preview.summary().startsWith(QStringLiteral("12 samples: 0 clean, 12 with field errors")),
                 qPrintable(preview.summary()));
        QVERIFY2(preview.summary().contains(QStringLiteral("person.firstName")), qPrintable(preview.summary()));

        // Each unmapped required field is a column of its own, failed on every row.
        const int firstName = columnOf(preview, QStringLiteral("person.firstName"));
        QVERIFY(firstName >= 0);
        QVERIFY(preview.isUnmappedColumn(firstName));
        for (int r = 0; r < preview.rowCount(); ++r) {
            const QString error = preview.index(r, firstName).data(PreviewModel::ErrorRole).toString();
            QVERIFY2(error.contains(QLatin1String("nothing is mapped")), qPrintable(error));
        }

        // The row is marked in the vertical header, and its tooltip lists the row's errors.
        for (int r = 0; r < preview.rowCount(); ++r) {
            QVERIFY(preview.headerData(r, Qt::Vertical, Qt::DecorationRole).isValid());
            const QString tip = preview.headerData(r, Qt::Vertical, Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QLatin1String("person.firstName: Required failed")), qPrintable(tip));
            QVERIFY2(tip.contains(QLatin1String("person.emails[0].value: Required failed")), qPrintable(tip));
        }

        // Mapping the fields again makes the rows clean, and their markers go.
        session.undoStack()->undo();
        session.undoStack()->undo();
        QCOMPARE(preview.recordsWithErrors(), 2);
        QCOMPARE(columnOf(preview, QStringLiteral("person.firstName")) >= 0, true);
        QVERIFY(!preview.isUnmappedColumn(columnOf(preview, QStringLiteral("person.firstName"))));
        int markedRows = 0;
        for (int r = 0; r < preview.rowCount(); ++r)
            markedRows += preview.headerData(r, Qt::Vertical, Qt::DecorationRole).isValid() ? 1 : 0;
        QCOMPARE(markedRows, 2);
    }

    void errorsOnlyAndNextError()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        view.resize(700, 600); // narrow: the phone column is off-screen to the right
        view.show();
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view)); // F8 is a window shortcut
        QAbstractItemModelTester tester(view.previewFilter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView *table = view.previewTable();
        QCOMPARE(table->model()->rowCount(), 12);

        // "Rows with errors only" leaves the two leads with a bad phone number.
        view.errorsOnlyToggle()->setChecked(true);
        QCOMPARE(table->model()->rowCount(), 2);
        for (int r = 0; r < 2; ++r)
            QVERIFY(table->model()->headerData(r, Qt::Vertical, PreviewModel::RowErrorsRole).toStringList().size() ==
                    1);
        // An edit that fails every lead brings them all in; undoing it filters them out again.
        session.unmapField(QStringLiteral("person.firstName"));
        QCOMPARE(table->model()->rowCount(), 12);
        session.undoStack()->undo();
        QCOMPARE(table->model()->rowCount(), 2);
        view.errorsOnlyToggle()->setChecked(false);
        QCOMPARE(table->model()->rowCount(), 12);

        // F8 selects the next failed cell and scrolls it into view, then the one after, then wraps.
        const int phone = columnOf(*view.preview(), QStringLiteral("person.phones[0].value"));
        table->setFocus();
        table->setCurrentIndex(table->model()->index(0, 0));
        QVERIFY(!table->viewport()->rect().contains(table->visualRect(table->model()->index(0, phone))));
        QList<int> rows;
        for (int i = 0; i < 3; ++i) {
            QTest::keyClick(table, Qt::Key_F8);
            const QModelIndex current = table->currentIndex();
            QCOMPARE(current.column(), phone);
            QVERIFY(!current.data(PreviewModel::ErrorRole).toString().isEmpty());
            QVERIFY(table->selectionModel()->isSelected(current));
            QVERIFY(table->viewport()->rect().intersects(table->visualRect(current)));
            rows.append(current.row());
        }
        QCOMPARE(rows.size(), 3);
        QVERIFY(rows.at(0) != rows.at(1));
        QCOMPARE(rows.at(2), rows.at(0)); // wrapped around
        // The step view follows: the failed rule is named.
        QVERIFY(view.stepView()
                    ->item(view.stepView()->count() - 1)
                    ->text()
                    .startsWith(QLatin1String("Phone number failed")));
        // With errors only, F8 walks the filtered rows and the steps are those of the right sample.
        view.errorsOnlyToggle()->setChecked(true);
        table->setCurrentIndex(table->model()->index(0, 0));
        QVERIFY(view.goToNextError());
        const QModelIndex source = view.previewFilter()->mapToSource(table->currentIndex());
        QCOMPARE(source.row(), rows.at(0));
        QCOMPARE(session.currentRecord(), rows.at(0));
    }

    void ruleEditsUpdateThePreview()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        PreviewModel *preview = view.preview();
        RuleEditor *rules = view.ruleEditor();
        QCOMPARE(preview->recordsWithErrors(), 2);

        session.setSelectedTarget(QStringLiteral("person.phones[0].value"));
        QVERIFY(rules->isEnabled());
        QCOMPARE(rules->pipeline()->count(), 1);
        QVERIFY(rules->pipeline()->item(0)->text().startsWith(QLatin1String("Phone number")));
        // The phone rule's form comes from the catalog; switching its invalid-number policy is one edit.
        QVERIFY(rules->parameterEditor(QStringLiteral("region")));
        auto *region = qobject_cast<QLineEdit *>(rules->parameterEditor(QStringLiteral("region")));
        QVERIFY(region);
        QCOMPARE(region->text(), QStringLiteral("US"));

        // Removing the phone rule: the bad numbers pass through unformatted, the errors go away.
        rules->removeSelectedRule();
        QCOMPARE(rules->pipeline()->count(), 0);
        QCOMPARE(preview->recordsWithErrors(), 0);
        const int phone = columnOf(*preview, QStringLiteral("person.phones[0].value"));
        QCOMPARE(preview->index(0, phone).data().toString(), QStringLiteral("(512)555-0166 ext. 12"));
        session.undoStack()->undo();
        QCOMPARE(preview->recordsWithErrors(), 2);
        QCOMPARE(rules->pipeline()->count(), 1);

        // Add a rule, move it before the phone rule, change a parameter by typing.
        rules->pipeline()->setCurrentRow(0);
        rules->addRule(QStringLiteral("truncate"));
        QCOMPARE(rules->pipeline()->count(), 2);
        QCOMPARE(rules->pipeline()->currentRow(), 1);
        rules->moveSelectedRule(-1);
        const int field = mapping::fieldIndexOf(session.document(), QStringLiteral("person.phones[0].value"));
        QCOMPARE(session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("rule")).toString(),
                 QStringLiteral("truncate"));
        rules->pipeline()->setCurrentRow(0);
        auto *max = rules->parameterEditor(QStringLiteral("max"));
        QVERIFY(max);
        const int before = session.undoStack()->count();
        max->setFocus();
        QTest::keyClick(max, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(max, QStringLiteral("5"));
        QCOMPARE(session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("max")).toInt(), 5);
        // "(512)" after five characters is no phone number: every lead now fails the phone rule.
        QCOMPARE(preview->recordsWithErrors(), 12);
        QTest::keyClicks(max, QStringLiteral("0"));
        QCOMPARE(session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("max")).toInt(), 50);
        QCOMPARE(preview->recordsWithErrors(), 2);
        QCOMPARE(session.undoStack()->count(), before + 1); // typing is one undo step
    }

    void policiesAreChoicesInTheRuleEditor()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        PreviewModel *preview = view.preview();
        RuleEditor *rules = view.ruleEditor();
        const QString target = QStringLiteral("person.phones[0].value");
        const int field = mapping::fieldIndexOf(session.document(), target);
        const int phone = columnOf(*preview, target);
        int bad = -1;
        for (int r = 0; r < preview->rowCount() && bad < 0; ++r)
            if (!preview->index(r, phone).data(PreviewModel::ErrorRole).toString().isEmpty())
                bad = r;
        QVERIFY(bad >= 0);
        QCOMPARE(preview->recordsWithErrors(), 2);
        auto param = [&](int rule, const char *name) {
            return session.document().fields.at(field).rules.at(rule).toObject().value(QLatin1String(name));
        };
        auto labelsOf = [](QComboBox *combo) {
            QStringList labels;
            for (int i = 0; i < combo->count(); ++i)
                labels.append(combo->itemText(i));
            return labels;
        };
        session.setSelectedTarget(target);

        // The phone rule's invalid-number policy: a combo box that says what each choice does.
        auto *invalid = qobject_cast<QComboBox *>(rules->parameterEditor(QStringLiteral("invalid")));
        QVERIFY(invalid);
        QCOMPARE(labelsOf(invalid),
                 (QStringList{QStringLiteral("Report a field error"), QStringLiteral("Leave the field empty (null)"),
                              QStringLiteral("Keep the text as it came"),
                              QStringLiteral("Keep only the digits (and a leading +)")}));
        QCOMPARE(invalid->currentData().toString(), QStringLiteral("error"));
        invalid->setCurrentIndex(invalid->findData(QStringLiteral("digits")));
        QCOMPARE(param(0, "invalid"), QJsonValue(QStringLiteral("digits")));
        QCOMPARE(preview->recordsWithErrors(), 0);
        QVERIFY(
            preview->index(bad, phone).data().toString().contains(QRegularExpression(QStringLiteral("^\\+?\\d+$"))));
        session.undoStack()->undo();
        QCOMPARE(preview->recordsWithErrors(), 2);

        // on_error, which every rule has: "default" needs a default value before the mapping compiles.
        auto *onError = qobject_cast<QComboBox *>(rules->parameterEditor(QStringLiteral("on_error")));
        QVERIFY(onError);
        QCOMPARE(labelsOf(onError),
                 (QStringList{QStringLiteral("Report a field error"), QStringLiteral("Leave the field empty (null)"),
                              QStringLiteral("Keep the value as it was before this rule"),
                              QStringLiteral("Use the default value")}));
        onError->setCurrentIndex(onError->findData(QStringLiteral("default")));
        QCOMPARE(param(0, "on_error"), QJsonValue(QStringLiteral("default")));
        QVERIFY(!session.compileErrors().isEmpty());
        QVERIFY2(session.compileErrors().first().message.contains(QStringLiteral("no \"default\" value")),
                 qPrintable(session.compileErrors().first().message));
        auto *fallback = qobject_cast<QLineEdit *>(rules->parameterEditor(QStringLiteral("default")));
        QVERIFY(fallback);
        fallback->setFocus();
        QTest::keyClicks(fallback, QStringLiteral("unknown"));
        QCOMPARE(param(0, "default"), QJsonValue(QStringLiteral("unknown")));
        QVERIFY(session.compileErrors().isEmpty());
        QCOMPARE(preview->recordsWithErrors(), 0);
        QCOMPARE(preview->index(bad, phone).data().toString(), QStringLiteral("unknown"));
        // The step view still says what happened.
        view.showSteps(bad, phone);
        const QString last = view.stepView()->item(view.stepView()->count() - 1)->text();
        QVERIFY2(last.startsWith(QLatin1String("after Phone number: \"unknown\"")), qPrintable(last));
        QVERIFY2(last.endsWith(QStringLiteral("→ \"unknown\" (on error: default)")), qPrintable(last));

        // The empty rule: drop by default, or send null.
        rules->addRule(QStringLiteral("empty"));
        auto *then = qobject_cast<QComboBox *>(rules->parameterEditor(QStringLiteral("then")));
        QVERIFY(then);
        QCOMPARE(then->currentText(), QStringLiteral("Leave the field out"));
        then->setCurrentIndex(then->findData(QStringLiteral("null")));
        QCOMPARE(param(1, "then"), QJsonValue(QStringLiteral("null")));

        // The value map's normalize switch.
        session.setSelectedTarget(QStringLiteral("person.stage"));
        const int stage = mapping::fieldIndexOf(session.document(), QStringLiteral("person.stage"));
        auto *normalize = qobject_cast<QCheckBox *>(rules->parameterEditor(QStringLiteral("normalize")));
        QVERIFY(normalize);
        QVERIFY(!normalize->isChecked());
        normalize->setChecked(true);
        QCOMPARE(session.document().fields.at(stage).rules.at(0).toObject().value(QLatin1String("normalize")),
                 QJsonValue(true));
    }

    void valueMapListsUnmappedValuesFirst()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        // The portal starts sending a status the map has never seen.
        SampleSet leads = testing::demoLeads();
        QJsonObject cold = leads.records.first();
        cold.insert(QStringLiteral("status"), QStringLiteral("_closed_won_"));
        leads.records.append(cold);
        session.setSamples(Side::Source, samplesFrom(QStringLiteral("leads"), leads.records));
        RuleEditor rules(&session);
        rules.show();
        session.setSelectedTarget(QStringLiteral("person.stage"));
        QTableWidget *table = rules.valueMapTable();
        QVERIFY(table->isVisible());
        const int field = mapping::fieldIndexOf(session.document(), QStringLiteral("person.stage"));
        const QJsonObject map =
            session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("map")).toObject();
        QVERIFY(table->rowCount() >= map.size());
        // Rows whose value the map lacks come first, in bold.
        bool seenMapped = false;
        int unmapped = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const bool isMapped = map.contains(table->item(r, 0)->data(Qt::UserRole).toString());
            QVERIFY2(!(seenMapped && !isMapped), "an unmapped value after a mapped one");
            seenMapped = seenMapped || isMapped;
            unmapped += isMapped ? 0 : 1;
            QCOMPARE(table->item(r, 0)->font().bold(), !isMapped);
        }
        QCOMPARE(unmapped, 1);
        QCOMPARE(table->item(0, 0)->data(Qt::UserRole).toString(), QStringLiteral("_closed_won_"));
        // Typing what an unmapped value becomes puts it in the rule's map.
        const QString value = table->item(0, 0)->data(Qt::UserRole).toString();
        table->item(0, 1)->setText(QStringLiteral("7"));
        const QJsonObject updated =
            session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("map")).toObject();
        QCOMPARE(updated.value(value), QJsonValue(7));
        session.undoStack()->undo();
        QVERIFY(!session.document()
                     .fields.at(field)
                     .rules.at(0)
                     .toObject()
                     .value(QLatin1String("map"))
                     .toObject()
                     .contains(value));
    }

    void valueMapOffersTheTargetsValues()
    {
        // Issue 18: "Becomes" had no edit affordance and nothing listed the stages the CRM accepts.
        MappingSession session;
        session.reset(testing::demoMapping());
        SampleSet leads = testing::demoLeads();
        QJsonObject won = leads.records.first();
        won.insert(QStringLiteral("status"), QStringLiteral("_closed_won_"));
        leads.records.append(won);
        session.setSamples(Side::Source, samplesFrom(QStringLiteral("leads"), leads.records));
        auto events = loadSamples(QStringLiteral(TRANSOM_RESOURCES "/demo/samples/crm-event.json"));
        QVERIFY(events.ok());
        QJsonObject vip = events.value().records.first();
        QJsonObject person = vip.value(QLatin1String("person")).toObject();
        person.insert(QStringLiteral("stage"), QStringLiteral("VIP"));
        vip.insert(QStringLiteral("person"), person);
        QList<QJsonObject> targetRecords = events.value().records;
        targetRecords.append(vip);
        session.setSamples(Side::Target, samplesFrom(QStringLiteral("crm"), targetRecords));
        const QStringList declared{QStringLiteral("Lead"), QStringLiteral("Nurture"), QStringLiteral("Closed")};
        QHash<QString, QStringList> values;
        values.insert(QStringLiteral("person.stage"), declared);
        session.setDeclaredTargetValues(values);
        // Declared values first, then what the target samples hold, each once.
        const QStringList allowed = declared + QStringList{QStringLiteral("Hot Prospect"), QStringLiteral("VIP")};
        QCOMPARE(session.allowedTargetValues(QStringLiteral("person.stage")), allowed);

        RuleEditor rules(&session);
        rules.resize(420, 600);
        rules.show();
        QVERIFY(QTest::qWaitForWindowExposed(&rules));
        session.setSelectedTarget(QStringLiteral("person.stage"));
        QTableWidget *table = rules.valueMapTable();
        QVERIFY(table->isVisible());
        QCOMPARE(table->item(0, 0)->data(Qt::UserRole).toString(), QStringLiteral("_closed_won_"));
        QVERIFY(table->item(0, 1)->text().isEmpty());

        // The empty "Becomes" cell is drawn with a placeholder and a drop-down arrow, not blank.
        const QRect cell = table->visualRect(table->model()->index(0, 1)).adjusted(2, 2, -2, -2);
        const QImage image = table->viewport()->grab(cell).toImage();
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 3, "the empty Becomes cell is blank");
        QVERIFY(!rules.valueChoices()->placeholder().isEmpty());
        // The header of the values column reads whole ("lue in the sampl" was the first show's width).
        QHeaderView *header = table->horizontalHeader();
        QVERIFY2(header->fontMetrics().horizontalAdvance(QStringLiteral("Value in the samples")) <
                     header->sectionSize(0),
                 qPrintable(QString::number(header->sectionSize(0))));

        // Clicking into the cell opens an editable drop-down of the allowed values (then the values the
        // map already uses); picking one puts it in the map as one undoable edit.
        table->setFocus();
        table->setCurrentCell(0, 1);
        auto *combo = table->viewport()->findChild<QComboBox *>();
        QVERIFY(combo);
        QVERIFY(combo->isEditable());
        QStringList offered;
        for (int i = 0; i < combo->count(); ++i)
            offered.append(combo->itemText(i));
        QCOMPARE(offered.mid(0, 5), session.allowedTargetValues(QStringLiteral("person.stage")));
        QVERIFY2(offered.contains(QStringLiteral("Appointment Set")), qPrintable(offered.join(QLatin1Char(','))));
        const int before = session.undoStack()->count();
        combo->setCurrentIndex(combo->findText(QStringLiteral("Nurture")));
        Q_EMIT combo->activated(combo->currentIndex());
        const int field = mapping::fieldIndexOf(session.document(), QStringLiteral("person.stage"));
        const QJsonObject map =
            session.document().fields.at(field).rules.at(0).toObject().value(QLatin1String("map")).toObject();
        QCOMPARE(map.value(QLatin1String("_closed_won_")), QJsonValue(QStringLiteral("Nurture")));
        QCOMPARE(session.undoStack()->count(), before + 1);
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("Nurture"));
    }

    void valueMapHeaderReadsWhole()
    {
        // Short values: the header is the widest thing in the column ("lue in the sampl" was cut).
        MappingSession session;
        mapping::MappingDocument doc = testing::demoMapping();
        const int field = mapping::fieldIndexOf(doc, QStringLiteral("person.stage"));
        doc.fields[field].rules =
            QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("value_map")},
                                   {QStringLiteral("map"), QJsonObject{{QStringLiteral("a"), 1}}}}};
        session.reset(doc);
        QList<QJsonObject> records;
        for (const QString &status : {QStringLiteral("a"), QStringLiteral("b")})
            records.append(QJsonObject{{QStringLiteral("lead_id"), status}, {QStringLiteral("status"), status}});
        session.setSamples(Side::Source, samplesFrom(QStringLiteral("short"), records));
        RuleEditor rules(&session);
        rules.resize(420, 600);
        rules.show();
        QVERIFY(QTest::qWaitForWindowExposed(&rules));
        session.setSelectedTarget(QStringLiteral("person.stage"));
        QTableWidget *table = rules.valueMapTable();
        QVERIFY(table->isVisible());
        QCOMPARE(table->rowCount(), 2);
        // Selecting a value must not turn the header's text bold into a section sized for plain text.
        table->setCurrentCell(1, 0);
        QHeaderView *header = table->horizontalHeader();
        QFont shown = header->font();
        shown.setBold(header->highlightSections()); // a highlighted section's text is drawn bold
        QVERIFY2(QFontMetrics(shown).horizontalAdvance(QStringLiteral("Value in the samples")) < header->sectionSize(0),
                 qPrintable(QString::number(header->sectionSize(0))));
    }

    void stepViewShowsEachRule()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        const int firstName = columnOf(*view.preview(), QStringLiteral("person.firstName"));
        view.showSteps(0, firstName);
        QStringList lines;
        for (int i = 0; i < view.stepView()->count(); ++i)
            lines.append(view.stepView()->item(i)->text());
        QCOMPARE(lines.value(1), QStringLiteral("input: \"James\""));
        QVERIFY2(lines.value(2).startsWith(QLatin1String("after Collapse spaces")),
                 qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.value(3).startsWith(QLatin1String("after Upper or lower case")));
        // A failing cell says which rule failed.
        const int phone = columnOf(*view.preview(), QStringLiteral("person.phones[0].value"));
        int bad = -1;
        for (int r = 0; r < view.preview()->rowCount() && bad < 0; ++r)
            if (!view.preview()->index(r, phone).data(PreviewModel::ErrorRole).toString().isEmpty())
                bad = r;
        view.showSteps(bad, phone);
        QVERIFY(view.stepView()
                    ->item(view.stepView()->count() - 1)
                    ->text()
                    .startsWith(QLatin1String("Phone number failed: ")));
    }

    void bigSamplesPreviewOffTheUiThread()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        PreviewModel preview(&session);
        QAbstractItemModelTester tester(&preview, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<QJsonObject> records;
        const SampleSet leads = testing::demoLeads();
        for (int i = 0; i < 2000; ++i)
            records.append(leads.records.at(i % leads.records.size()));
        QSignalSpy refreshed(&preview, &PreviewModel::refreshed);
        session.setSamples(Side::Source, samplesFrom(QStringLiteral("many"), records));
        QVERIFY(preview.isComputing());
        // An edit while the worker runs supersedes it: the table ends with the newest mapping.
        session.unmapField(QStringLiteral("person.phones[0].value"));
        QTRY_VERIFY(!preview.isComputing() && preview.rowCount() == 2000);
        QTRY_COMPARE(preview.recordsWithErrors(), 0);
        QCOMPARE(columnOf(preview, QStringLiteral("person.phones[0].value")), -1);
        QVERIFY(refreshed.count() >= 1);
    }

    void suggestionsAreAcceptedOrRejected()
    {
        MappingSession session;
        mapping::MappingDocument doc = testing::demoMapping();
        doc.fields.clear();
        session.reset(doc);
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        // Accept the dialog with the proposed check marks, after unchecking the first suggestion.
        QString rejected;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto *list = dialog->findChild<QListWidget *>();
            QVERIFY(list && list->count() > 3);
            list->item(0)->setCheckState(Qt::Unchecked);
            rejected = list->item(0)->text();
            dialog->accept();
        });
        const int accepted = view.suggest();
        QVERIFY2(accepted >= 8, qPrintable(QString::number(accepted)));
        QCOMPARE(session.document().fields.size(), accepted);
        QCOMPARE(session.undoStack()->count(), 1);
        QVERIFY(mapping::fieldIndexOf(session.document(), QStringLiteral("person.firstName")) >= 0 ||
                rejected.contains(QLatin1String("person.firstName")));
        const int email = mapping::fieldIndexOf(session.document(), QStringLiteral("person.emails[0].value"));
        QVERIFY(email >= 0 || rejected.contains(QLatin1String("emails")));
    }

    // Issue 18 item 6: the banner says what is wrong in plain words (the rule's title, no file positions
    // or internal paths); where in the file is behind its tooltip.
    void bannerSpeaksPlainly()
    {
        MappingSession session;
        session.reset(testing::demoMapping());
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        view.show();
        session.setRules(QStringLiteral("person.firstName"),
                         QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("datetime")}}});
        const QString text = view.banner()->text();
        QVERIFY2(text.contains(QStringLiteral("The mapping cannot run yet")) &&
                     text.contains(QStringLiteral("\u201cDate and time\u201d")) &&
                     text.contains(QLatin1String("Fix it")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("fields[")) && !text.contains(QLatin1String(".json:")) &&
                     !text.contains(QLatin1String("rule \"datetime\"")),
                 qPrintable(text));
        QVERIFY2(view.banner()->toolTip().contains(QLatin1String("fields[")), qPrintable(view.banner()->toolTip()));
        // The preview never shows the word "null".
        QCOMPARE(displayText(QJsonValue(QJsonValue::Null)), QStringLiteral("(empty)"));
    }

    void checksAndDriftInTheBanner()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("leads.json"));
        MappingSession session;
        session.reset(testing::demoMapping(), path);
        QString error;
        QVERIFY(session.save(&error));
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        view.show();
        QVERIFY(view.pinCurrentSample(&error));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("leads.checks.json"))));
        QList<mapping::CheckResult> results = view.runChecks();
        QCOMPARE(results.size(), 1);
        QVERIFY(results.first().passed);
        QVERIFY(view.banner()->text().contains(QStringLiteral("All 1 check pass")));

        // A rule change that alters the pinned output fails the check, and the banner says where.
        session.setSelectedTarget(QStringLiteral("person.firstName"));
        session.setRules(QStringLiteral("person.firstName"),
                         QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("case")},
                                                {QStringLiteral("mode"), QStringLiteral("upper")}}});
        results = view.runChecks();
        QVERIFY(!results.first().passed);
        QVERIFY2(view.banner()->text().contains(QStringLiteral("person.firstName: expected \"James\", got \"JAMES\"")),
                 qPrintable(view.banner()->text()));

        // The vendor renames a field: the drift banner names both sides.
        QList<QJsonObject> renamed = testing::demoLeads().records;
        for (QJsonObject &r : renamed)
            r.insert(QStringLiteral("phone_number"), r.take(QStringLiteral("phone")));
        session.setSamples(Side::Source, samplesFrom(QStringLiteral("v2"), renamed));
        QVERIFY(view.banner()->isVisible());
        QVERIFY2(view.banner()->text().contains(QStringLiteral("New in the samples: phone_number")),
                 qPrintable(view.banner()->text()));
        QVERIFY(view.banner()->text().contains(QStringLiteral("missing from the samples: phone")));
    }

    void noCheckIsPinnedBesideAShippedMapping()
    {
        const QString shipped = QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json");
        QVERIFY(!QFile::exists(mapping::checksPathFor(shipped)));
        MappingSession session;
        QString error;
        QVERIFY(session.open(shipped, &error));
        session.setSamples(Side::Source, testing::demoLeads());
        MappingView view(&session);
        QVERIFY(!view.pinCurrentSample(&error));
        QVERIFY2(error.contains(QLatin1String("Save it first")), qPrintable(error));
        QVERIFY(!QFile::exists(mapping::checksPathFor(shipped)));
    }
};

QTEST_MAIN(TestMappingView)
#include "tst_mappingview.moc"

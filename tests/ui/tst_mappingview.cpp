// The mapping view: live preview (errors marked and explained, off the UI thread for big samples),
// the rule editor driving it, the value map editor, the step view, suggestions, checks and drift.
#include "studiotesting.h"
#include "ui/mappingcanvas.h"
#include "ui/mappingview.h"
#include "ui/previewmodel.h"
#include "ui/ruleeditor.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
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
            QVERIFY2(error.startsWith(QLatin1String("phone failed: ")), qPrintable(error));
            QCOMPARE(preview.index(r, phone).data(Qt::ToolTipRole).toString(), error);
            QVERIFY(preview.index(r, phone).data(Qt::BackgroundRole).isValid());
        }
        QCOMPARE(marked, 2);
        QCOMPARE(preview.headerData(0, Qt::Vertical).toString(), QStringLiteral("ZL-100000"));
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
        QVERIFY(rules->pipeline()->item(0)->text().startsWith(QLatin1String("phone")));
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
        QVERIFY2(last.startsWith(QLatin1String("after phone: \"unknown\"")), qPrintable(last));
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
        QVERIFY2(lines.value(2).startsWith(QLatin1String("after collapse_whitespace")),
                 qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.value(3).startsWith(QLatin1String("after case")));
        // A failing cell says which rule failed.
        const int phone = columnOf(*view.preview(), QStringLiteral("person.phones[0].value"));
        int bad = -1;
        for (int r = 0; r < view.preview()->rowCount() && bad < 0; ++r)
            if (!view.preview()->index(r, phone).data(PreviewModel::ErrorRole).toString().isEmpty())
                bad = r;
        view.showSteps(bad, phone);
        QVERIFY(
            view.stepView()->item(view.stepView()->count() - 1)->text().startsWith(QLatin1String("phone failed: ")));
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
};

QTEST_MAIN(TestMappingView)
#include "tst_mappingview.moc"

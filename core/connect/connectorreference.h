#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace transom::connect {

/// An example of a REST source's settings for one paging style, as the reference shows it.
struct PagingExample {
    QString paging; ///< "none", "offset", "page", "cursor", "next_link"
    QString explanation;
    QJsonObject settings;
};

/// One example per paging style of the REST source (each is valid settings: the tests load them).
const QList<PagingExample> &pagingExamples();

/// The connector settings reference, docs/connectors.md, generated from the connectors' own settings
/// specs (ConnectorRegistry::builtin()), the auth styles (authStyleSpecs()) and pagingExamples(), so the
/// documentation cannot drift from what the code reads. `transom-run docs connectors` prints it.
QString connectorReferenceMarkdown();

/// The command that writes docs/connectors.md again, for messages that find it out of date.
QString connectorReferenceCommand();

} // namespace transom::connect

#include "core/common/contenthash.h"

#include <QCryptographicHash>
#include <QTest>

#include <thread>

/// The ledger's content hash is SHA-1 however it is computed: ledgers written by earlier versions
/// (QCryptographicHash) must keep telling unchanged records from changed ones.
class TestContentHash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsQtSha1_data();
    void sameAsQtSha1();
    void knownDigest();
    void eachThreadHasItsOwnContext();
};

void TestContentHash::sameAsQtSha1_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("x");
    // SHA-1 pads to 64-byte blocks: lengths around 55/56 and 64 take different paths.
    for (int n : {55, 56, 63, 64, 65, 119, 128})
        QTest::addRow("%d bytes", n) << QByteArray(n, 'a');
    QTest::newRow("a mapped person") << QByteArray(
        R"({"firstName":"Zoë","lastName":"Núñez","phones":[{"value":"+15125550142"}],"externalId":"ZL-100231"})");
    QByteArray big(1 << 20, Qt::Uninitialized);
    for (int i = 0; i < big.size(); ++i)
        big[i] = char(i * 31 + (i >> 8));
    QTest::newRow("1 MiB") << big;
}

void TestContentHash::sameAsQtSha1()
{
    QFETCH(QByteArray, data);
    QCOMPARE(transom::contentHash(data), QCryptographicHash::hash(data, QCryptographicHash::Sha1));
    QCOMPARE(transom::contentHash(data).size(), 20);
}

void TestContentHash::knownDigest()
{
    QCOMPARE(transom::contentHash("abc").toHex(), QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d"));
}

void TestContentHash::eachThreadHasItsOwnContext()
{
    const QByteArray data(1000, 'q');
    const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha1);
    bool same[2] = {true, true};
    auto work = [&](bool &ok) {
        for (int i = 0; i < 2000; ++i)
            ok = ok && transom::contentHash(data) == expected;
    };
    std::thread a(work, std::ref(same[0]));
    std::thread b(work, std::ref(same[1]));
    a.join();
    b.join();
    QVERIFY(same[0]);
    QVERIFY(same[1]);
}

QTEST_APPLESS_MAIN(TestContentHash)
#include "tst_contenthash.moc"

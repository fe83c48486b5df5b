#include "core/common/contenthash.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

#include <memory>

namespace transom {

QByteArray contentHash(QByteArrayView data)
{
    // The digest is looked up once, and each thread keeps one context to reuse.
    static EVP_MD *const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    struct FreeContext {
        void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
    };
    thread_local const std::unique_ptr<EVP_MD_CTX, FreeContext> context(EVP_MD_CTX_new());
    QByteArray out(20, Qt::Uninitialized);
    unsigned int size = 0;
    if (sha1 && context && EVP_DigestInit_ex(context.get(), sha1, nullptr) &&
        EVP_DigestUpdate(context.get(), data.data(), std::size_t(data.size())) &&
        EVP_DigestFinal_ex(context.get(), reinterpret_cast<unsigned char *>(out.data()), &size) && size == 20)
        return out;
    return QCryptographicHash::hash(data, QCryptographicHash::Sha1); // OpenSSL without SHA-1 (FIPS-only builds)
}

} // namespace transom

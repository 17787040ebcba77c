// s3PresignGet(): SigV4 query-string authentication of a GET (path-style).
#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QUrl>

#include "queue/s3_store.h"

namespace avatar::server {
namespace {

QByteArray hmac(const QByteArray& key, const QByteArray& data) {
  return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

QByteArray enc(const std::string& s) {
  return QUrl::toPercentEncoding(QString::fromStdString(s));
}

}  // namespace

std::string s3PresignGet(const S3Store& store, const std::string& key, int expiresSec,
                         int64_t nowEpochSec) {
  const QDateTime now = QDateTime::fromSecsSinceEpoch(nowEpochSec, Qt::UTC);
  const QByteArray date = now.toString("yyyyMMdd").toLatin1();
  const QByteArray stamp = now.toString("yyyyMMddTHHmmssZ").toLatin1();
  const QByteArray scope =
      date + "/" + QByteArray::fromStdString(store.region) + "/s3/aws4_request";
  const QUrl endpoint(QString::fromStdString(store.endpoint));
  QByteArray host = endpoint.host().toLatin1();
  if (endpoint.port() != -1) host += ":" + QByteArray::number(endpoint.port());
  const QByteArray path = "/" + QByteArray::fromStdString(store.bucket) + "/" +
                          QUrl::toPercentEncoding(QString::fromStdString(key), "/");
  // Parameters in byte order of their names (canonical query string).
  const QByteArray query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
      enc(store.accessKey + "/" + scope.toStdString()) + "&X-Amz-Date=" + stamp +
      "&X-Amz-Expires=" + QByteArray::number(expiresSec) + "&X-Amz-SignedHeaders=host";
  const QByteArray canonical =
      "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const QByteArray toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" +
                            QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex();
  QByteArray k = hmac("AWS4" + QByteArray::fromStdString(store.secretKey), date);
  k = hmac(k, QByteArray::fromStdString(store.region));
  k = hmac(k, "s3");
  k = hmac(k, "aws4_request");
  const QByteArray signature = hmac(k, toSign).toHex();
  return store.endpoint + path.toStdString() + "?" + query.toStdString() +
         "&X-Amz-Signature=" + signature.toStdString();
}

}  // namespace avatar::server

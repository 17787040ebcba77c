#include "jobs/job_store.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace avatar::server {
namespace {

constexpr int kSchemaVersion = 1;

const char* kCreateJobs = R"(CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  origin TEXT NOT NULL,
  request_json TEXT NOT NULL,
  quality_mode TEXT NOT NULL,
  job_dir TEXT NOT NULL,
  output_path TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  finished_ms INTEGER NOT NULL,
  progress REAL NOT NULL,
  stage TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  error_subject TEXT NOT NULL,
  error_detail TEXT NOT NULL,
  output_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  disk_bytes INTEGER NOT NULL,
  result_json TEXT NOT NULL,
  notes_json TEXT NOT NULL))";

QString q(const std::string& s) {
  return QString::fromStdString(s);
}
std::string s(const QVariant& v) {
  return v.toString().toStdString();
}

ApiError sqlError(const QString& what, const QSqlError& e) {
  return ApiError::make("Internal", "job store",
                        what.toStdString() + " failed: " + e.text().toStdString());
}

}  // namespace

JobStore::JobStore()
    : connectionName_(QStringLiteral("avatar-jobs-") + QUuid::createUuid().toString()) {}

JobStore::~JobStore() {
  close();
}

std::optional<ApiError> JobStore::exec(const QString& sql) {
  QSqlQuery query(QSqlDatabase::database(connectionName_));
  if (!query.exec(sql)) return sqlError(sql.left(40), query.lastError());
  return std::nullopt;
}

std::optional<ApiError> JobStore::open(const std::string& path) {
  if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
    return ApiError::make("Internal", "job store",
                          "the Qt SQLite driver (QSQLITE) is not installed");
  }
  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName_);
  db.setDatabaseName(q(path));
  if (!db.open()) {
    return ApiError::make("OutputNotWritable", path,
                          "cannot open the job database: " + db.lastError().text().toStdString());
  }
  open_ = true;
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000"}) {
    if (auto err = exec(QString::fromLatin1(pragma))) return err;
  }
  if (auto err = exec(QString::fromLatin1(kCreateJobs))) return err;
  QSqlQuery version(db);
  if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
    return sqlError(QStringLiteral("reading the schema version"), version.lastError());
  }
  const int found = version.value(0).toInt();
  if (found > kSchemaVersion) {
    return ApiError::make(
        "Internal", path,
        "job database was written by a newer version (schema " + std::to_string(found) + ")");
  }
  return exec(QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion));
}

void JobStore::close() {
  if (!open_) return;
  open_ = false;
  { QSqlDatabase::database(connectionName_).close(); }
  QSqlDatabase::removeDatabase(connectionName_);
}

std::optional<ApiError> JobStore::save(const JobRecord& j) {
  QSqlQuery query(QSqlDatabase::database(connectionName_));
  query.prepare(QStringLiteral(
      "INSERT OR REPLACE INTO jobs VALUES (:id,:state,:origin,:request,:quality,:dir,:output,"
      ":created,:started,:finished,:progress,:stage,:attempts,:ecode,:esubject,:edetail,"
      ":obytes,:sha,:dbytes,:result,:notes)"));
  query.bindValue(QStringLiteral(":id"), q(j.id));
  query.bindValue(QStringLiteral(":state"), QString::fromLatin1(jobStateName(j.state)));
  query.bindValue(QStringLiteral(":origin"), q(j.origin));
  query.bindValue(QStringLiteral(":request"), q(j.requestJson));
  query.bindValue(QStringLiteral(":quality"), q(j.qualityMode));
  query.bindValue(QStringLiteral(":dir"), q(j.jobDir));
  query.bindValue(QStringLiteral(":output"), q(j.outputPath));
  query.bindValue(QStringLiteral(":created"), qint64(j.createdMs));
  query.bindValue(QStringLiteral(":started"), qint64(j.startedMs));
  query.bindValue(QStringLiteral(":finished"), qint64(j.finishedMs));
  query.bindValue(QStringLiteral(":progress"), j.progress);
  query.bindValue(QStringLiteral(":stage"), q(j.stage));
  query.bindValue(QStringLiteral(":attempts"), j.attempts);
  query.bindValue(QStringLiteral(":ecode"), q(j.errorCode));
  query.bindValue(QStringLiteral(":esubject"), q(j.errorSubject));
  query.bindValue(QStringLiteral(":edetail"), q(j.errorDetail));
  query.bindValue(QStringLiteral(":obytes"), qint64(j.outputBytes));
  query.bindValue(QStringLiteral(":sha"), q(j.sha256));
  query.bindValue(QStringLiteral(":dbytes"), qint64(j.diskBytes));
  query.bindValue(QStringLiteral(":result"), q(dumpJson(j.result)));
  query.bindValue(QStringLiteral(":notes"), q(dumpJson(Json(j.notes))));
  if (!query.exec()) return sqlError(QStringLiteral("saving job ") + q(j.id), query.lastError());
  return std::nullopt;
}

std::optional<ApiError> JobStore::remove(const std::string& id) {
  QSqlQuery query(QSqlDatabase::database(connectionName_));
  query.prepare(QStringLiteral("DELETE FROM jobs WHERE id = :id"));
  query.bindValue(QStringLiteral(":id"), q(id));
  if (!query.exec()) return sqlError(QStringLiteral("deleting job ") + q(id), query.lastError());
  return std::nullopt;
}

std::optional<ApiError> JobStore::loadAll(std::vector<JobRecord>* out) {
  QSqlQuery query(QSqlDatabase::database(connectionName_));
  if (!query.exec(QStringLiteral("SELECT * FROM jobs ORDER BY created_ms, id"))) {
    return sqlError(QStringLiteral("loading jobs"), query.lastError());
  }
  while (query.next()) {
    JobRecord j;
    j.id = s(query.value(0));
    const auto state = jobStateFromName(s(query.value(1)));
    if (!state) {
      return ApiError::make("Internal", j.id, "unknown job state \"" + s(query.value(1)) + "\"");
    }
    j.state = *state;
    j.origin = s(query.value(2));
    j.requestJson = s(query.value(3));
    j.qualityMode = s(query.value(4));
    j.jobDir = s(query.value(5));
    j.outputPath = s(query.value(6));
    j.createdMs = query.value(7).toLongLong();
    j.startedMs = query.value(8).toLongLong();
    j.finishedMs = query.value(9).toLongLong();
    j.progress = query.value(10).toDouble();
    j.stage = s(query.value(11));
    j.attempts = query.value(12).toInt();
    j.errorCode = s(query.value(13));
    j.errorSubject = s(query.value(14));
    j.errorDetail = s(query.value(15));
    j.outputBytes = query.value(16).toLongLong();
    j.sha256 = s(query.value(17));
    j.diskBytes = query.value(18).toLongLong();
    j.result = Json::parse(s(query.value(19)), nullptr, false);
    if (j.result.is_discarded()) j.result = Json::object();
    const Json notes = Json::parse(s(query.value(20)), nullptr, false);
    if (notes.is_array()) {
      for (const auto& n : notes) {
        if (n.is_string()) j.notes.push_back(n.get<std::string>());
      }
    }
    out->push_back(std::move(j));
  }
  return std::nullopt;
}

bool JobStore::ping() {
  if (!open_) return false;
  QSqlQuery query(QSqlDatabase::database(connectionName_));
  return query.exec(QStringLiteral("SELECT 1")) && query.next();
}

}  // namespace avatar::server

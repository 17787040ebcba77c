// JobStore: the jobs table in <data-dir>/jobs.sqlite (QtSql, SQLite driver).
//
// Every state change is written through before it takes effect elsewhere
// (WAL journal, synchronous=FULL), so a killed server finds each job as it
// last was. Used from the service's thread only (a QSqlDatabase connection
// belongs to the thread that opened it).
#pragma once

#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "core/api_error.h"
#include "jobs/job_record.h"

namespace avatar::server {

class JobStore {
 public:
  JobStore();
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  std::optional<ApiError> open(const std::string& path);
  void close();

  // Insert or replace the whole record.
  std::optional<ApiError> save(const JobRecord& job);
  std::optional<ApiError> remove(const std::string& id);
  // Every job, oldest first.
  std::optional<ApiError> loadAll(std::vector<JobRecord>* out);
  // A trivial query: is the database still answering?
  bool ping();

 private:
  std::optional<ApiError> exec(const QString& sql);
  QString connectionName_;
  bool open_ = false;
};

}  // namespace avatar::server

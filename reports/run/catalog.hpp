// The run's catalog as readers see it: each strategy's and workload's display name,
// order and role, read from rcbench.catalog (written by the harness from the entries
// the strategies declare: bench/counters/catalog_entry.hpp). Readers select rows by
// role ("the GIL baseline", "the reference op", "no contention"), never by name, so a
// strategy the reader has never heard of is reported like any other.
//
// A run written before runs carried a catalog gets the catalog of the build reading it
// (set_build_catalog, called by the CLI); source() says which.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rcbench::runjson {

namespace detail {
class Field;
}

struct StrategyInfo {
  std::string name, family, display, summary;
  int order = 0;
  std::string baseline;  // "gil", "lock", "real", or "" (none): names the row of baseline, baseline_lock, baseline_real
  bool reference = false;
  std::string headline;  // "rmw", "owner_biased", or ""
  bool real_interpreter = false;
  nlohmann::json params = nlohmann::json::object();
};

struct WorkloadInfo {
  std::string name, display, summary;
  int order = 0;
  std::string contention;  // "none", "one_object", "one_line", "transfer", "partly_shared", "owned_elsewhere"
};

enum class CatalogSource { run, build, none };
std::string_view to_string(CatalogSource);

class Catalog {
 public:
  Catalog() = default;
  // Throws InputError naming the field for a malformed catalog: from_json with
  // pointers inside `catalog`, from_field (the run loader) with pointers in the file.
  static Catalog from_json(const nlohmann::json& catalog, CatalogSource source, std::string_view where);
  static Catalog from_field(const detail::Field& catalog, CatalogSource source);

  CatalogSource source() const { return source_; }
  const std::vector<StrategyInfo>& strategies() const { return strategies_; }
  const std::vector<WorkloadInfo>& workloads() const { return workloads_; }

  const StrategyInfo* strategy(std::string_view name) const;  // nullptr: not in the catalog
  const WorkloadInfo* workload(std::string_view name) const;
  bool is_baseline(std::string_view strategy, std::string_view role) const;
  bool is_reference(std::string_view strategy) const;
  bool has_contention(std::string_view workload, std::string_view contention) const;
  // Sort keys: the catalog's order; names it does not hold after every name it does.
  int strategy_order(std::string_view strategy) const;
  int workload_order(std::string_view workload) const;
  // The first strategy of the catalog with this baseline role ("" when none).
  std::string baseline_strategy(std::string_view role) const;

  nlohmann::json to_json() const;

 private:
  CatalogSource source_ = CatalogSource::none;
  std::vector<StrategyInfo> strategies_;
  std::vector<WorkloadInfo> workloads_;
};

// The catalog of the build that reads runs: given to runs that carry none (runs
// written before catalogs). The CLI sets it once at start-up; unset, such runs have an
// empty catalog (CatalogSource::none) and no row has a role.
void set_build_catalog(const nlohmann::json& catalog);
// The build's catalog as set (CatalogSource::build), or an empty one.
Catalog build_catalog_or_empty();

}  // namespace rcbench::runjson

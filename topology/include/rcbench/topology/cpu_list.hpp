// CpuList: a set of PU OS indices, the value type the rest of rcbench uses instead of
// hwloc bitmaps.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::topo {

class CpuList {
 public:
  // The largest OS index parse() accepts: a typo such as "0-4000000000" must not
  // allocate gigabytes. Linux itself is built for at most 8192 CPUs.
  static constexpr unsigned kMaxIndex = 65535;

  CpuList() = default;
  // Sorts and removes duplicates.
  explicit CpuList(std::vector<unsigned> pus);
  CpuList(std::initializer_list<unsigned> pus) : CpuList(std::vector<unsigned>(pus)) {}

  // The list syntax of taskset -c and hwloc-calc: comma-separated indices and ranges,
  // "0-3,8", with an optional stride as in taskset ("0-10:2" = 0,2,4,6,8,10). Spaces
  // around items are ignored; "" is the empty list. Throws std::invalid_argument that
  // names the offending item.
  static CpuList parse(std::string_view text);

  // Canonical form: sorted, runs of two or more consecutive indices as "a-b": "0-3,8".
  // The empty list is "".
  std::string to_string() const;

  const std::vector<unsigned>& pus() const { return pus_; }
  bool contains(unsigned pu) const;
  std::size_t size() const { return pus_.size(); }
  bool empty() const { return pus_.empty(); }
  auto begin() const { return pus_.begin(); }
  auto end() const { return pus_.end(); }

  CpuList intersect(const CpuList& other) const;
  bool is_subset_of(const CpuList& other) const;

  friend bool operator==(const CpuList&, const CpuList&) = default;

 private:
  std::vector<unsigned> pus_;  // sorted, unique
};

}  // namespace rcbench::topo

// CpuList: parsing and printing the taskset / hwloc-calc list syntax.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <rcbench/topology/cpu_list.hpp>
#include <stdexcept>

namespace rcbench::topo {

CpuList::CpuList(std::vector<unsigned> pus) : pus_(std::move(pus)) {
  std::sort(pus_.begin(), pus_.end());
  pus_.erase(std::unique(pus_.begin(), pus_.end()), pus_.end());
}

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

unsigned parse_number(std::string_view number, std::string_view item, std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
    throw std::invalid_argument(fmt::format(
        "invalid CPU list \"{}\": \"{}\" is not an index or a range such as 0-3 or 0-10:2", text,
        item));
  }
  if (value > CpuList::kMaxIndex) {
    throw std::invalid_argument(
        fmt::format("invalid CPU list \"{}\": {} is above the largest "
                    "PU index accepted, {}",
                    text, number, CpuList::kMaxIndex));
  }
  return value;
}

}  // namespace

CpuList CpuList::parse(std::string_view text) {
  std::vector<unsigned> pus;
  if (trim(text).empty()) return CpuList();
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, comma - start));
    if (item.empty()) {
      throw std::invalid_argument(fmt::format(
          "invalid CPU list \"{}\": empty item (two commas, or a comma at an end)", text));
    }
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      pus.push_back(parse_number(item, item, text));
    } else {
      const std::size_t colon = item.find(':');
      const unsigned first = parse_number(item.substr(0, dash), item, text);
      const unsigned last = parse_number(
          item.substr(dash + 1,
                      colon == std::string_view::npos ? std::string_view::npos : colon - dash - 1),
          item, text);
      const unsigned stride =
          colon == std::string_view::npos ? 1 : parse_number(item.substr(colon + 1), item, text);
      if (first > last || stride == 0) {
        throw std::invalid_argument(fmt::format(
            "invalid CPU list \"{}\": range \"{}\" must go upwards with a positive stride", text,
            item));
      }
      for (unsigned pu = first; pu <= last; pu += stride) pus.push_back(pu);
    }
    start = comma + 1;
  }
  return CpuList(std::move(pus));
}

std::string CpuList::to_string() const {
  std::string text;
  for (std::size_t i = 0; i < pus_.size();) {
    std::size_t j = i;
    while (j + 1 < pus_.size() && pus_[j + 1] == pus_[j] + 1) ++j;
    if (!text.empty()) text += ',';
    text += j == i ? fmt::format("{}", pus_[i]) : fmt::format("{}-{}", pus_[i], pus_[j]);
    i = j + 1;
  }
  return text;
}

bool CpuList::contains(unsigned pu) const {
  return std::binary_search(pus_.begin(), pus_.end(), pu);
}

CpuList CpuList::intersect(const CpuList& other) const {
  std::vector<unsigned> common;
  std::set_intersection(pus_.begin(), pus_.end(), other.pus_.begin(), other.pus_.end(),
                        std::back_inserter(common));
  return CpuList(std::move(common));
}

bool CpuList::is_subset_of(const CpuList& other) const {
  return std::includes(other.pus_.begin(), other.pus_.end(), pus_.begin(), pus_.end());
}

}  // namespace rcbench::topo

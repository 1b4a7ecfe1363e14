#include "arm_cpu_ids.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace rcbench::perf {
namespace {

struct Implementer {
  unsigned id;
  std::string_view name;
};

// Arm ARM D23.2.122 (MIDR_EL1.Implementer) and Linux's arch/arm64/include/asm/cputype.h.
constexpr std::array kImplementers = {
    Implementer{0x41, "Arm"},     Implementer{0x42, "Broadcom"}, Implementer{0x43, "Cavium"},
    Implementer{0x46, "Fujitsu"}, Implementer{0x48, "HiSilicon"}, Implementer{0x4e, "NVIDIA"},
    Implementer{0x50, "APM"},     Implementer{0x51, "Qualcomm"},  Implementer{0x61, "Apple"},
    Implementer{0xc0, "Ampere"},
};

struct Part {
  unsigned implementer;
  unsigned part;
  std::string_view name;
};

// The part numbers of the cores rcbench's users run on (each core's TRM, "MIDR_EL1";
// Linux's cputype.h). Ampere Altra and Altra Max are Neoverse N1 cores and report
// implementer 0x41 part 0xd0c; only AmpereOne is Ampere's own design (0xc0).
constexpr std::array kParts = {
    Part{0x41, 0xd03, "Cortex-A53"},  Part{0x41, 0xd07, "Cortex-A57"},
    Part{0x41, 0xd08, "Cortex-A72"},  Part{0x41, 0xd0b, "Cortex-A76"},
    Part{0x41, 0xd0c, "Neoverse N1"}, Part{0x41, 0xd40, "Neoverse V1"},
    Part{0x41, 0xd49, "Neoverse N2"}, Part{0x41, 0xd4f, "Neoverse V2"},
    Part{0x41, 0xd84, "Neoverse V3"}, Part{0x41, 0xd8e, "Neoverse N3"},
    Part{0xc0, 0xac3, "AmpereOne"},   Part{0xc0, 0xac4, "AmpereOne"},
};

// "0x" and at least `digits` lower-case hex digits.
std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

}  // namespace

Midr decode_midr(std::uint32_t value) {
  return {value, (value >> 24) & 0xffu, (value >> 20) & 0xfu, (value >> 16) & 0xfu, (value >> 4) & 0xfffu,
          value & 0xfu};
}

Midr encode_midr(unsigned implementer, unsigned variant, unsigned architecture, unsigned part,
                 unsigned revision) {
  const std::uint32_t value = ((implementer & 0xffu) << 24) | ((variant & 0xfu) << 20) |
                              ((architecture & 0xfu) << 16) | ((part & 0xfffu) << 4) | (revision & 0xfu);
  return decode_midr(value);
}

std::optional<Midr> parse_midr_text(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  text.remove_prefix(2);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size() || value > 0xffffffffu) return std::nullopt;
  return decode_midr(static_cast<std::uint32_t>(value));
}

std::string midr_hex(std::uint32_t value) { return hex(value, 8); }

std::string arm_implementer_name(unsigned implementer) {
  for (const Implementer& i : kImplementers)
    if (i.id == implementer) return std::string(i.name);
  return "implementer " + hex(implementer, 2);
}

std::string arm_part_name(unsigned implementer, unsigned part) {
  for (const Part& p : kParts)
    if (p.implementer == implementer && p.part == part) return std::string(p.name);
  return "part " + hex(part, 3);
}

std::string arm_cpu_name(const Midr& midr) {
  return arm_implementer_name(midr.implementer) + " " + arm_part_name(midr.implementer, midr.part);
}

}  // namespace rcbench::perf

// What an Arm CPU says it is: the Main ID Register (MIDR_EL1) split into its fields, and
// the names of the implementers and parts rcbench knows. A part it does not know is shown
// as its number ("part 0xd0d"), never guessed from a neighbour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbench::perf {

// MIDR_EL1's fields (Arm ARM D23.2): implementer [31:24], variant [23:20] (the major
// revision, "r3" of r3p1), architecture [19:16] (0xF on every ARMv8/v9 CPU), part number
// [15:4], revision [3:0] (the minor revision, "p1").
struct Midr {
  std::uint32_t value = 0;
  unsigned implementer = 0;
  unsigned variant = 0;
  unsigned architecture = 0;
  unsigned part = 0;
  unsigned revision = 0;
};

Midr decode_midr(std::uint32_t value);
Midr encode_midr(unsigned implementer, unsigned variant, unsigned architecture, unsigned part,
                 unsigned revision);

// The text of /sys/devices/system/cpu/cpuN/regs/identification/midr_el1
// ("0x00000000413fd0c1"): the register is 64 bits wide, the upper half reserved (zero).
// nullopt when it is not one hex number that fits 32 bits.
std::optional<Midr> parse_midr_text(std::string_view text);

// "0x413fd0c1": eight hex digits, as the kernel and Arm's documents write a MIDR.
std::string midr_hex(std::uint32_t value);

// "Arm", "Ampere", ... or "implementer 0x..": the name Arm's register list gives.
std::string arm_implementer_name(unsigned implementer);
// "Neoverse N1", "AmpereOne", ... or "part 0x...".
std::string arm_part_name(unsigned implementer, unsigned part);
// "Arm Neoverse N1": what /proc/cpuinfo's "model name" would say if arm64 had one.
std::string arm_cpu_name(const Midr& midr);

}  // namespace rcbench::perf

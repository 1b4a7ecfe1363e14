// The functions of an object file as `objdump -dr` lists them: one Instruction per line
// of code, with the symbol a relocation names (a call in an unlinked object shows its
// real target only there: `bl 0 <...>` plus `R_AARCH64_CALL26 __aarch64_ldadd8_relax`).
// Works on x86-64 (AT&T syntax) and aarch64 listings alike.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rcbench::testing {

struct Instruction {
  std::string mnemonic;  // "add", "ldaddl", "bl"; on x86 a prefix ("lock") comes first
  std::string operands;  // as objdump wrote them, without its trailing "// ..." comment
  std::string target;    // the symbol a relocation on this instruction names, if any
  std::string text() const;
};

using Code = std::vector<Instruction>;
using Functions = std::map<std::string, Code>;

// Runs `objdump -dr --no-show-raw-insn object`; throws when it cannot.
Functions disassemble(const std::string& objdump, const std::string& object);

// The same from a listing's text (what disassemble parses).
Functions parse_listing(const std::string& listing);

// The straight-line path a block runs when every branch goes the expected way: the
// instructions from the entry up to the first `ret` (cold paths are laid out after it).
Code hot_path(const Code& code);

std::map<std::string, int> mnemonic_counts(const Code& code);
std::string listing_of(const Code& code);  // one instruction a line, for failure messages

}  // namespace rcbench::testing

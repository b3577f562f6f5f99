#include "consensus/script/script_flags.h"

#include <array>
#include <cstdio>

namespace cairn {

namespace {
constexpr std::array<ScriptFlagName, 21> FLAG_NAMES{{
    {"P2SH", SCRIPT_VERIFY_P2SH},
    {"STRICTENC", SCRIPT_VERIFY_STRICTENC},
    {"DERSIG", SCRIPT_VERIFY_DERSIG},
    {"LOW_S", SCRIPT_VERIFY_LOW_S},
    {"NULLDUMMY", SCRIPT_VERIFY_NULLDUMMY},
    {"SIGPUSHONLY", SCRIPT_VERIFY_SIGPUSHONLY},
    {"MINIMALDATA", SCRIPT_VERIFY_MINIMALDATA},
    {"DISCOURAGE_UPGRADABLE_NOPS", SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS},
    {"CLEANSTACK", SCRIPT_VERIFY_CLEANSTACK},
    {"CHECKLOCKTIMEVERIFY", SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY},
    {"CHECKSEQUENCEVERIFY", SCRIPT_VERIFY_CHECKSEQUENCEVERIFY},
    {"WITNESS", SCRIPT_VERIFY_WITNESS},
    {"DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM", SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM},
    {"MINIMALIF", SCRIPT_VERIFY_MINIMALIF},
    {"NULLFAIL", SCRIPT_VERIFY_NULLFAIL},
    {"WITNESS_PUBKEYTYPE", SCRIPT_VERIFY_WITNESS_PUBKEYTYPE},
    {"CONST_SCRIPTCODE", SCRIPT_VERIFY_CONST_SCRIPTCODE},
    {"TAPROOT", SCRIPT_VERIFY_TAPROOT},
    {"DISCOURAGE_UPGRADABLE_TAPROOT_VERSION", SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION},
    {"DISCOURAGE_OP_SUCCESS", SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS},
    {"DISCOURAGE_UPGRADABLE_PUBKEYTYPE", SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE},
}};

std::string_view Trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
} // namespace

std::span<const ScriptFlagName> ScriptFlagNames() { return FLAG_NAMES; }

std::optional<ScriptFlags> ParseScriptFlags(std::string_view names)
{
    ScriptFlags flags = SCRIPT_VERIFY_NONE;
    if (Trim(names).empty()) return flags;
    while (true) {
        const size_t comma = names.find(',');
        const std::string_view word = Trim(names.substr(0, comma));
        if (word != "NONE") {
            bool found = false;
            for (const ScriptFlagName& f : FLAG_NAMES) {
                if (f.name == word) {
                    flags |= f.flag;
                    found = true;
                    break;
                }
            }
            if (!found) return std::nullopt;
        }
        if (comma == std::string_view::npos) break;
        names.remove_prefix(comma + 1);
    }
    return flags;
}

std::string FormatScriptFlags(ScriptFlags flags)
{
    if (flags == SCRIPT_VERIFY_NONE) return "NONE";
    std::string out;
    for (const ScriptFlagName& f : FLAG_NAMES) {
        if (flags & f.flag) {
            if (!out.empty()) out += ',';
            out += f.name;
            flags &= ~f.flag;
        }
    }
    if (flags) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "0x%x", unsigned(flags));
        if (!out.empty()) out += ',';
        out += buf;
    }
    return out;
}

} // namespace cairn

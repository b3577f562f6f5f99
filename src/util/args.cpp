#include "util/args.h"

#include "util/log.h"

#include <univalue.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace cairn {

namespace fs = std::filesystem;

namespace {

// ---- Small helpers -----------------------------------------------------------

/** Trims the given characters from both ends. */
std::string_view Trim(std::string_view s, std::string_view chars)
{
    const size_t first = s.find_first_not_of(chars);
    if (first == std::string_view::npos) return {};
    const size_t last = s.find_last_not_of(chars);
    return s.substr(first, last - first + 1);
}

/** "-name" -> "name" (the key under which values are stored). */
std::string SettingName(const std::string& arg)
{
    return !arg.empty() && arg[0] == '-' ? arg.substr(1) : arg;
}

/** A key as written by the user: "regtest.nofoo" is section "regtest",
 *  name "foo", negated. */
struct KeyInfo {
    std::string section;
    std::string name;
    bool negated{false};
};

KeyInfo InterpretKey(std::string key)
{
    KeyInfo info;
    const size_t dot = key.find('.');
    if (dot != std::string::npos) {
        info.section = key.substr(0, dot);
        key.erase(0, dot + 1);
    }
    if (key.starts_with("no")) {
        key.erase(0, 2);
        info.negated = true;
    }
    info.name = std::move(key);
    return info;
}

/** The stored value of "-name[=value]" given the option's flags: false for a
 *  negation, true for a double negation ("-nofoo=0"), else the string ("" when
 *  no value was given). nullopt with error set when the flags forbid it. */
std::optional<SettingValue> InterpretValue(const KeyInfo& key, const std::string* value, unsigned flags,
                                           std::string& error)
{
    if (key.negated) {
        if (flags & ArgsManager::DISALLOW_NEGATION) {
            error = "Negating of -" + key.name + " is meaningless and therefore forbidden";
            return std::nullopt;
        }
        if (value && !InterpretBool(*value)) {
            LogWarning("Parsed potentially confusing double-negative -{}={}", key.name, *value);
            return SettingValue::Bool(true);
        }
        return SettingValue::Bool(false);
    }
    if (!value && (flags & ArgsManager::DISALLOW_ELISION)) {
        error = "Can not set -" + key.name + " with no value. Please specify value with -" + key.name + "=value.";
        return std::nullopt;
    }
    return SettingValue::String(value ? *value : std::string{});
}

// ---- Conversions between SettingValue and UniValue ---------------------------

UniValue ToUniValue(const SettingValue& v)
{
    switch (v.type()) {
    case SettingValue::Type::NONE: return UniValue{};
    case SettingValue::Type::BOOL: return UniValue{v.GetBool()};
    case SettingValue::Type::STRING: return UniValue{v.GetStr()};
    case SettingValue::Type::NUMBER: {
        UniValue u;
        if (!u.setNumStr(v.GetStr())) u = UniValue{v.GetStr()};
        return u;
    }
    case SettingValue::Type::ARRAY: {
        UniValue u{UniValue::VARR};
        for (const auto& item : v.GetItems()) u.push_back(ToUniValue(item));
        return u;
    }
    case SettingValue::Type::OBJECT: {
        UniValue u;
        if (!u.read(v.GetStr())) u = UniValue{UniValue::VOBJ};
        return u;
    }
    }
    return UniValue{};
}

SettingValue FromUniValue(const UniValue& u)
{
    switch (u.getType()) {
    case UniValue::VNULL: return SettingValue{};
    case UniValue::VBOOL: return SettingValue::Bool(u.isTrue());
    case UniValue::VSTR: return SettingValue::String(u.getValStr());
    case UniValue::VNUM: return SettingValue::Number(u.getValStr());
    case UniValue::VARR: {
        std::vector<SettingValue> items;
        for (const auto& item : u.getValues()) items.push_back(FromUniValue(item));
        return SettingValue::Array(std::move(items));
    }
    case UniValue::VOBJ: return SettingValue::Object(u.write());
    }
    return SettingValue{};
}

// ---- Merging the sources -------------------------------------------------------

enum class Source { FORCED, COMMAND_LINE, RW_SETTINGS, CONFIG_NETWORK, CONFIG_TOP };

bool IsConfig(Source s) { return s == Source::CONFIG_NETWORK || s == Source::CONFIG_TOP; }

/** The values of one setting from one source, in the order given. */
struct Span {
    const SettingValue* data{nullptr};
    size_t size{0};

    /** Position just after the last negation (0 if none). */
    size_t NegatedPrefix() const
    {
        for (size_t i = size; i > 0; --i) {
            if (data[i - 1].IsFalse()) return i;
        }
        return 0;
    }
    bool LastNegated() const { return size > 0 && data[size - 1].IsFalse(); }
    /** No value left once negations are applied. */
    bool Empty() const { return size == 0 || LastNegated(); }
    /** The values after the last negation. */
    const SettingValue* begin() const { return data + NegatedPrefix(); }
    const SettingValue* end() const { return data + size; }
};

template <typename Map>
auto Find(const Map& map, const std::string& key) -> const typename Map::mapped_type*
{
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
}

// The sources of one setting, highest precedence first.
template <typename Settings, typename Fn>
void ForEachSource(const Settings& settings, const std::string& section, const std::string& name, Fn&& fn)
{
    if (const SettingValue* v = Find(settings.forced, name)) fn(Span{v, 1}, Source::FORCED);
    if (const auto* v = Find(settings.command_line, name)) fn(Span{v->data(), v->size()}, Source::COMMAND_LINE);
    if (const SettingValue* v = Find(settings.rw, name)) fn(Span{v, 1}, Source::RW_SETTINGS);
    if (!section.empty()) {
        if (const auto* sec = Find(settings.config, section)) {
            if (const auto* v = Find(*sec, name)) fn(Span{v->data(), v->size()}, Source::CONFIG_NETWORK);
        }
    }
    if (const auto* sec = Find(settings.config, std::string{})) {
        if (const auto* v = Find(*sec, name)) fn(Span{v->data(), v->size()}, Source::CONFIG_TOP);
    }
}

struct MergeOptions {
    bool ignore_top_level_config{false}; //!< NETWORK_ONLY option off mainnet
    bool ignore_nonpersistent{false};    //!< skip the command line and forced values
    bool chain_type{false};              //!< -regtest & co: last wins everywhere, negations skipped
};

template <typename Settings>
SettingValue MergeSetting(const Settings& settings, const std::string& section, const std::string& name,
                          MergeOptions opt)
{
    SettingValue result;
    bool done = false;
    ForEachSource(settings, section, name, [&](Span span, Source source) {
        if (done) return;
        // A negation at the top level of the config file applies even to a
        // NETWORK_ONLY option whose other top-level values are ignored.
        if (opt.ignore_top_level_config && source == Source::CONFIG_TOP && !span.LastNegated()) return;
        if (opt.ignore_nonpersistent && (source == Source::COMMAND_LINE || source == Source::FORCED)) return;
        // Negated chain options (-noregtest) are accepted but have no effect.
        if (opt.chain_type && span.LastNegated()) return;
        if (!span.Empty()) {
            // In the config file the first value wins (kept from Core for
            // compatibility), elsewhere the last.
            const bool first_wins = IsConfig(source) && !opt.chain_type;
            result = first_wins ? *span.begin() : *(span.end() - 1);
            done = true;
        } else if (span.LastNegated()) {
            result = SettingValue::Bool(false);
            done = true;
        }
    });
    return result;
}

template <typename Settings>
std::vector<SettingValue> MergeSettingsList(const Settings& settings, const std::string& section,
                                            const std::string& name, bool ignore_top_level_config)
{
    std::vector<SettingValue> result;
    bool done = false;
    bool negated_while_empty = false;
    ForEachSource(settings, section, name, [&](Span span, Source source) {
        // Core's rule: a negation on the command line drops the config file's
        // values, unless non-negated values follow the negation on the command
        // line, in which case the config file's values are added again.
        const bool add_config_anyway = IsConfig(source) && !negated_while_empty;
        if (ignore_top_level_config && source == Source::CONFIG_TOP) return;
        if (!done || add_config_anyway) {
            for (const SettingValue& v : span) {
                if (v.IsArray()) {
                    result.insert(result.end(), v.GetItems().begin(), v.GetItems().end());
                } else {
                    result.push_back(v);
                }
            }
        }
        done |= span.NegatedPrefix() > 0 || source == Source::FORCED;
        negated_while_empty |= span.LastNegated() && result.empty();
    });
    return result;
}

template <typename Settings>
bool OnlyTopLevelConfig(const Settings& settings, const std::string& section, const std::string& name)
{
    bool top_level = false;
    bool elsewhere = false;
    ForEachSource(settings, section, name, [&](Span span, Source source) {
        if (span.Empty()) return;
        if (source == Source::CONFIG_TOP) {
            top_level = true;
        } else {
            elsewhere = true;
        }
    });
    return top_level && !elsewhere;
}

std::optional<std::string> ValueToString(const SettingValue& v)
{
    switch (v.type()) {
    case SettingValue::Type::NONE: return std::nullopt;
    case SettingValue::Type::BOOL: return v.GetBool() ? "1" : "0";
    case SettingValue::Type::STRING:
    case SettingValue::Type::NUMBER: return v.GetStr();
    case SettingValue::Type::ARRAY:
    case SettingValue::Type::OBJECT: return v.ToJson();
    }
    return std::nullopt;
}

std::optional<int64_t> ValueToInt(const SettingValue& v)
{
    switch (v.type()) {
    case SettingValue::Type::NONE: return std::nullopt;
    case SettingValue::Type::BOOL: return v.GetBool() ? 1 : 0;
    case SettingValue::Type::STRING:
    case SettingValue::Type::NUMBER: return InterpretInt(v.GetStr());
    case SettingValue::Type::ARRAY:
    case SettingValue::Type::OBJECT: return 0;
    }
    return std::nullopt;
}

std::optional<bool> ValueToBool(const SettingValue& v)
{
    switch (v.type()) {
    case SettingValue::Type::NONE: return std::nullopt;
    case SettingValue::Type::BOOL: return v.GetBool();
    case SettingValue::Type::STRING:
    case SettingValue::Type::NUMBER: return InterpretBool(v.GetStr());
    case SettingValue::Type::ARRAY:
    case SettingValue::Type::OBJECT: return false;
    }
    return std::nullopt;
}

// ---- Config-file syntax ----------------------------------------------------------

/**
 * Splits config-file text into (key, value) pairs, keys prefixed by their
 * section ("regtest.rpcport"), and records where sections appear. Core's
 * rules: everything from '#' on is a comment, whitespace (" \t\r\n") is
 * trimmed, "[name]" opens a section, a key must not start with '-', and a '#'
 * on an rpcpassword line is an error (the password might contain it).
 */
bool ParseConfigText(std::istream& stream, const std::string& file_name, std::string& error,
                     std::vector<std::pair<std::string, std::string>>& options,
                     std::list<ConfigSectionInfo>& sections)
{
    static constexpr std::string_view WS = " \t\r\n";
    std::string line;
    std::string prefix;
    int line_number = 1;
    while (std::getline(stream, line)) {
        bool had_hash = false;
        if (const size_t hash = line.find('#'); hash != std::string::npos) {
            line.erase(hash);
            had_hash = true;
        }
        const std::string text{Trim(line, WS)};
        if (!text.empty()) {
            if (text.front() == '[' && text.back() == ']') {
                const std::string section = text.substr(1, text.size() - 2);
                sections.push_back({section, file_name, line_number});
                prefix = section + '.';
            } else if (text.front() == '-') {
                error = "parse error on line " + std::to_string(line_number) + ": " + text +
                        ", options in configuration file must be specified without leading -";
                return false;
            } else if (const size_t eq = text.find('='); eq != std::string::npos) {
                std::string key = prefix + std::string{Trim(std::string_view{text}.substr(0, eq), WS)};
                std::string value{Trim(std::string_view{text}.substr(eq + 1), WS)};
                if (had_hash && key.find("rpcpassword") != std::string::npos) {
                    error = "parse error on line " + std::to_string(line_number) +
                            ", using # in rpcpassword can be ambiguous and should be avoided";
                    return false;
                }
                // "regtest.rpcport=1" at the top level names a section too.
                if (const size_t dot = key.rfind('.'); dot != std::string::npos && prefix.size() <= dot) {
                    sections.push_back({key.substr(0, dot), file_name, line_number});
                }
                options.emplace_back(std::move(key), std::move(value));
            } else {
                error = "parse error on line " + std::to_string(line_number) + ": " + text;
                if (text.size() >= 2 && text.starts_with("no")) {
                    error += ", if you intended to specify a negated option, use " + text + "=1 instead";
                }
                return false;
            }
        }
        ++line_number;
    }
    return true;
}

// ---- Help formatting ---------------------------------------------------------------

constexpr size_t HELP_WIDTH = 79;
constexpr size_t HELP_OPT_INDENT = 2;
constexpr size_t HELP_MSG_INDENT = 7;

/** Wraps text at spaces so that indent + line fits HELP_WIDTH; a word longer
 *  than a line gets a line of its own; newlines in text are kept. Every line
 *  but the first is prefixed by the indent. */
std::string WrapText(std::string_view text, size_t indent)
{
    const size_t width = HELP_WIDTH - indent;
    std::string out;
    bool first_line = true;
    auto start_line = [&] {
        if (!first_line) out += '\n' + std::string(indent, ' ');
        first_line = false;
    };
    size_t pos = 0;
    while (pos <= text.size()) {
        const size_t nl = std::min(text.find('\n', pos), text.size());
        std::string_view paragraph = text.substr(pos, nl - pos);
        start_line();
        size_t used = 0;
        size_t p = 0;
        while (p < paragraph.size()) {
            const size_t sp = std::min(paragraph.find(' ', p), paragraph.size());
            const std::string_view word = paragraph.substr(p, sp - p);
            if (used > 0 && used + 1 + word.size() > width) {
                start_line();
                used = 0;
            } else if (used > 0) {
                out += ' ';
                ++used;
            }
            out += word;
            used += word.size();
            p = sp + 1;
        }
        if (nl >= text.size()) break;
        pos = nl + 1;
    }
    return out;
}

} // namespace

// ==== Free functions =============================================================

std::string_view OptionCategoryTitle(OptionCategory category)
{
    switch (category) {
    case OptionCategory::OPTIONS: return "Options:";
    case OptionCategory::CONNECTION: return "Connection options:";
    case OptionCategory::WALLET: return "Wallet options:";
    case OptionCategory::WALLET_DEBUG_TEST: return "Wallet debugging/testing options:";
    case OptionCategory::ZMQ: return "ZeroMQ notification options:";
    case OptionCategory::DEBUG_TEST: return "Debugging/Testing options:";
    case OptionCategory::CHAINPARAMS: return "Chain selection options:";
    case OptionCategory::NODE_RELAY: return "Node relay options:";
    case OptionCategory::BLOCK_CREATION: return "Block creation options:";
    case OptionCategory::RPC: return "RPC server options:";
    case OptionCategory::GUI: return "UI Options:";
    case OptionCategory::COMMANDS: return "Commands:";
    case OptionCategory::REGISTER_COMMANDS: return "Register Commands:";
    case OptionCategory::CLI_COMMANDS: return "CLI Commands:";
    case OptionCategory::IPC: return "IPC interprocess connection options:";
    case OptionCategory::HIDDEN: return "";
    }
    return "";
}

std::string_view ChainDataDirName(ChainType chain)
{
    switch (chain) {
    case ChainType::MAIN: return "";
    case ChainType::TESTNET: return "testnet3";
    case ChainType::TESTNET4: return "testnet4";
    case ChainType::SIGNET: return "signet";
    case ChainType::REGTEST: return "regtest";
    }
    return "";
}

int64_t InterpretInt(std::string_view value)
{
    std::string_view s = Trim(value, " \f\n\r\t\v");
    if (!s.empty() && s[0] == '+') {
        if (s.size() >= 2 && s[1] == '-') return 0;
        s.remove_prefix(1);
    }
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) s.remove_prefix(1);
    size_t i = 0;
    // Accumulate as a negative number so that INT64_MIN fits.
    int64_t acc = 0;
    bool overflow = false;
    constexpr int64_t MIN = std::numeric_limits<int64_t>::min();
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        const int digit = s[i] - '0';
        if (overflow) continue;
        if (acc < (MIN + digit) / 10) {
            overflow = true;
            continue;
        }
        acc = acc * 10 - digit;
    }
    if (i == 0) return 0; // no digits
    if (overflow) return negative ? MIN : std::numeric_limits<int64_t>::max();
    if (negative) return acc;
    if (acc == MIN) return std::numeric_limits<int64_t>::max();
    return -acc;
}

bool InterpretBool(std::string_view value)
{
    if (value.empty()) return true;
    return InterpretInt(value) != 0;
}

// ==== SettingValue ===============================================================

SettingValue SettingValue::Bool(bool b)
{
    SettingValue v;
    v.m_type = Type::BOOL;
    v.m_bool = b;
    return v;
}

SettingValue SettingValue::String(std::string s)
{
    SettingValue v;
    v.m_type = Type::STRING;
    v.m_str = std::move(s);
    return v;
}

SettingValue SettingValue::Number(std::string text)
{
    SettingValue v;
    v.m_type = Type::NUMBER;
    v.m_str = std::move(text);
    return v;
}

SettingValue SettingValue::Array(std::vector<SettingValue> items)
{
    SettingValue v;
    v.m_type = Type::ARRAY;
    v.m_items = std::move(items);
    return v;
}

SettingValue SettingValue::Object(std::string json)
{
    SettingValue v;
    v.m_type = Type::OBJECT;
    v.m_str = std::move(json);
    return v;
}

std::string SettingValue::ToJson() const
{
    if (m_type == Type::OBJECT) return m_str;
    return ToUniValue(*this).write();
}

// ==== ArgsManager: registration ====================================================

ArgsManager::ArgsManager() = default;
ArgsManager::~ArgsManager() = default;

void ArgsManager::AddArg(const std::string& name_with_value, const std::string& help, unsigned flags,
                         OptionCategory category)
{
    if (flags & COMMAND) throw std::logic_error("AddArg: use AddCommand for commands");
    if (name_with_value.empty() || name_with_value[0] != '-') {
        throw std::logic_error("AddArg: option name must start with '-': " + name_with_value);
    }
    const size_t eq = name_with_value.find('=');
    std::string name = name_with_value.substr(0, eq);
    std::string help_param = eq == std::string::npos ? std::string{} : name_with_value.substr(eq);
    std::lock_guard lock(m_mutex);
    if (GetArgFlagsLocked(name)) throw std::logic_error("AddArg: option registered twice: " + name);
    m_available_args[category].emplace(name, Arg{std::move(help_param), help, flags});
    if (flags & NETWORK_ONLY) m_network_only_args.insert(name);
}

void ArgsManager::AddHiddenArgs(const std::vector<std::string>& names)
{
    for (const std::string& name : names) AddArg(name, "", ALLOW_ANY, OptionCategory::HIDDEN);
}

void ArgsManager::AddCommand(const std::string& command, const std::string& help)
{
    if (command.empty() || command[0] == '-' || command.find('=') != std::string::npos) {
        throw std::logic_error("AddCommand: bad command name: " + command);
    }
    std::lock_guard lock(m_mutex);
    if (GetArgFlagsLocked(command)) throw std::logic_error("AddCommand: command registered twice: " + command);
    m_accept_any_command = false;
    m_available_args[OptionCategory::COMMANDS].emplace(command, Arg{"", help, COMMAND});
}

void ArgsManager::ClearArgs()
{
    std::lock_guard lock(m_mutex);
    m_settings = {};
    m_available_args.clear();
    m_network_only_args.clear();
    m_command.clear();
    m_accept_any_command = true;
    m_config_sections.clear();
    m_config_warnings.clear();
}

std::optional<unsigned> ArgsManager::GetArgFlagsLocked(const std::string& name) const
{
    for (const auto& [category, args] : m_available_args) {
        if (auto it = args.find(name); it != args.end()) return it->second.flags;
    }
    return std::nullopt;
}

std::optional<unsigned> ArgsManager::GetArgFlags(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    return GetArgFlagsLocked(name);
}

std::vector<ArgsManager::RegisteredArg> ArgsManager::GetRegisteredArgs() const
{
    std::lock_guard lock(m_mutex);
    std::vector<RegisteredArg> out;
    for (const auto& [category, args] : m_available_args) {
        for (const auto& [name, arg] : args) out.push_back({name, arg.help_param, arg.help, arg.flags, category});
    }
    return out;
}

// ==== ArgsManager: command line ====================================================

bool ArgsManager::ParseParameters(int argc, const char* const argv[], std::string& error)
{
    std::lock_guard lock(m_mutex);
    m_settings.command_line.clear();
    m_command.clear();

    for (int i = 1; i < argc; ++i) {
        std::string key(argv[i]);
        if (key == "-") break; // stdin follows (cairn-tx style)
        std::optional<std::string> value;
        if (const size_t eq = key.find('='); eq != std::string::npos) {
            value = key.substr(eq + 1);
            key.erase(eq);
        }
        if (key.empty() || key[0] != '-') {
            if (!m_accept_any_command && m_command.empty()) {
                const auto flags = GetArgFlagsLocked(key);
                if (!flags || !(*flags & COMMAND)) {
                    error = std::string("Invalid command '") + argv[i] + "'";
                    return false;
                }
            }
            m_command.push_back(key);
            while (++i < argc) m_command.emplace_back(argv[i]);
            break;
        }
        if (key.size() > 1 && key[1] == '-') key.erase(0, 1); // --foo is -foo
        key.erase(0, 1);
        const KeyInfo info = InterpretKey(key);
        const auto flags = GetArgFlagsLocked('-' + info.name);
        // Sections ("-regtest.rpcport=1") belong in the config file only.
        if (!flags || !info.section.empty()) {
            error = std::string("Invalid parameter ") + argv[i];
            return false;
        }
        auto setting = InterpretValue(info, value ? &*value : nullptr, *flags, error);
        if (!setting) return false;
        m_settings.command_line[info.name].push_back(std::move(*setting));
    }

    // -includeconf belongs in the config file; only -noincludeconf is allowed here.
    if (const auto* includes = Find(m_settings.command_line, std::string{"includeconf"})) {
        const Span span{includes->data(), includes->size()};
        if (!span.Empty()) {
            error = "-includeconf cannot be used from commandline; -includeconf=" + span.begin()->ToJson();
            return false;
        }
    }
    return true;
}

std::optional<ArgsManager::Command> ArgsManager::GetCommand() const
{
    std::lock_guard lock(m_mutex);
    if (m_command.empty()) return std::nullopt;
    Command out;
    auto it = m_command.begin();
    if (!m_accept_any_command) out.command = *it++;
    out.args.assign(it, m_command.end());
    return out;
}

// ==== ArgsManager: config file =====================================================

bool ArgsManager::ReadConfigStreamLocked(std::istream& stream, const std::string& file_name, std::string& error,
                                         bool ignore_invalid_keys)
{
    std::vector<std::pair<std::string, std::string>> options;
    if (!ParseConfigText(stream, file_name, error, options, m_config_sections)) return false;
    for (const auto& [raw_key, value] : options) {
        const KeyInfo info = InterpretKey(raw_key);
        if (info.name == "conf") {
            error = "conf cannot be set in the configuration file; use includeconf= if you want to include "
                    "additional config files";
            return false;
        }
        if (info.name == "reindex") {
            LogWarning("reindex=1 is set in the configuration file, which will significantly slow down startup. "
                       "Consider removing or commenting out this option for better performance, unless there is "
                       "currently a condition which makes rebuilding the indexes necessary");
        }
        const auto flags = GetArgFlagsLocked('-' + info.name);
        if (!flags) {
            if (ignore_invalid_keys) {
                LogWarning("Ignoring unknown configuration value {}", raw_key);
                continue;
            }
            error = "Invalid configuration value " + raw_key;
            return false;
        }
        auto setting = InterpretValue(info, &value, *flags, error);
        if (!setting) return false;
        m_settings.config[info.section][info.name].push_back(std::move(*setting));
    }
    return true;
}

bool ArgsManager::ReadConfigString(const std::string& text, std::string& error, bool ignore_invalid_keys,
                                   const std::string& file_name)
{
    std::lock_guard lock(m_mutex);
    m_settings.config.clear();
    m_config_sections.clear();
    m_config_warnings.clear();
    std::istringstream stream(text);
    return ReadConfigStreamLocked(stream, file_name, error, ignore_invalid_keys);
}

bool ArgsManager::ReadConfigFiles(std::string& error, bool ignore_invalid_keys)
{
    std::lock_guard lock(m_mutex);
    m_settings.config.clear();
    m_config_sections.clear();
    m_config_warnings.clear();
    m_config_path.clear();

    auto datadir_missing = [&] {
        const fs::path datadir = GetPathArgLocked("-datadir", {});
        std::error_code ec;
        if (datadir.empty() || fs::is_directory(fs::absolute(datadir), ec)) return false;
        error = "specified data directory \"" + GetArgLocked("-datadir").value_or("") + "\" does not exist.";
        return true;
    };
    if (datadir_missing()) return false;

    const bool conf_set = !GetSettingLocked("-conf").IsNull();
    if (GetSettingLocked("-conf").IsFalse()) {
        // -noconf: no config file at all.
    } else {
        const fs::path base = GetDataDirBaseLocked();
        const fs::path conf = GetPathArgLocked("-conf", {});
        if (!conf_set || conf.empty()) {
            // Cairn's own file first; an existing bitcoind datadir has bitcoin.conf.
            std::error_code ec;
            const fs::path cairn_conf = base / CAIRN_CONF_FILENAME;
            m_config_path = fs::exists(cairn_conf, ec) ? cairn_conf : base / BITCOIN_CONF_FILENAME;
        } else {
            m_config_path = conf.is_absolute() ? conf : base / conf;
        }
    }

    std::ifstream stream;
    if (!m_config_path.empty()) {
        std::error_code ec;
        if (fs::is_directory(m_config_path, ec)) {
            error = "Config file \"" + m_config_path.string() + "\" is a directory.";
            return false;
        }
        stream.open(m_config_path);
        if (conf_set && !stream.good()) {
            error = "specified config file \"" + m_config_path.string() + "\" could not be opened.";
            return false;
        }
    }

    if (stream.is_open() && stream.good()) {
        if (!ReadConfigStreamLocked(stream, m_config_path.string(), error, ignore_invalid_keys)) return false;

        // -noincludeconf on the command line disables includes (ParseParameters
        // rejects a non-negated -includeconf there).
        const bool use_includes = Find(m_settings.command_line, std::string{"includeconf"}) == nullptr;
        if (use_includes) {
            try {
                const std::string chain = GetChainNameLocked();
                std::vector<std::string> names;
                // Appends the includeconf= values of a section after the first
                // `skip` ones (and after its last negation); returns how many
                // values the section had.
                auto collect = [&](const std::string& section, size_t skip) -> size_t {
                    const auto* sec = Find(m_settings.config, section);
                    if (!sec) return 0;
                    const auto* values = Find(*sec, std::string{"includeconf"});
                    if (!values) return 0;
                    const Span span{values->data(), values->size()};
                    for (size_t i = std::max(skip, span.NegatedPrefix()); i < values->size(); ++i) {
                        if ((*values)[i].IsString()) names.push_back((*values)[i].GetStr());
                    }
                    return values->size();
                };
                const size_t chain_count = collect(chain, 0);
                const size_t top_count = collect("", 0);
                for (const std::string& name : names) {
                    const fs::path path = AbsPathForConfigValLocked(name, false);
                    std::error_code ec;
                    if (fs::is_directory(path, ec)) {
                        error = "Included config file \"" + path.string() + "\" is a directory.";
                        return false;
                    }
                    std::ifstream include(path);
                    if (!include.good()) {
                        error = "Failed to include configuration file " + name;
                        return false;
                    }
                    if (!ReadConfigStreamLocked(include, name, error, ignore_invalid_keys)) return false;
                    LogInfo("Included configuration file {}", name);
                }
                // includeconf= inside included files is not followed.
                names.clear();
                collect(chain, chain_count);
                collect("", top_count);
                const std::string final_chain = GetChainNameLocked();
                if (final_chain != chain) collect(final_chain, 0);
                for (const std::string& name : names) {
                    std::string warning =
                        "warning: -includeconf cannot be used from included files; ignoring -includeconf=" + name;
                    std::cerr << warning << '\n';
                    m_config_warnings.push_back(std::move(warning));
                }
            } catch (const std::runtime_error& e) {
                error = e.what();
                return false;
            }
        }
    }

    // The config file may have set datadir=.
    return !datadir_missing();
}

fs::path ArgsManager::GetConfigFilePath() const
{
    std::lock_guard lock(m_mutex);
    return m_config_path;
}

std::vector<std::string> ArgsManager::GetConfigWarnings() const
{
    std::lock_guard lock(m_mutex);
    return m_config_warnings;
}

std::list<ConfigSectionInfo> ArgsManager::GetUnrecognizedSections() const
{
    std::lock_guard lock(m_mutex);
    std::list<ConfigSectionInfo> out;
    for (const auto& section : m_config_sections) {
        if (!ChainTypeFromString(section.name)) out.push_back(section);
    }
    return out;
}

std::set<std::string> ArgsManager::GetUnsuitableSectionOnlyArgs() const
{
    std::lock_guard lock(m_mutex);
    std::set<std::string> out;
    if (m_network.empty() || m_network == ChainTypeToString(ChainType::MAIN)) return out;
    for (const std::string& arg : m_network_only_args) {
        if (OnlyTopLevelConfig(m_settings, m_network, SettingName(arg))) out.insert(arg);
    }
    return out;
}

std::string ArgsManager::UnsuitableSectionOnlyMessage(const std::string& arg, const std::string& chain)
{
    return "Config setting for " + arg + " only applied on " + chain + " network when in [" + chain + "] section.";
}

// ==== ArgsManager: network ===========================================================

void ArgsManager::SelectConfigNetwork(const std::string& network)
{
    std::lock_guard lock(m_mutex);
    m_network = network;
}

std::string ArgsManager::GetSelectedNetwork() const
{
    std::lock_guard lock(m_mutex);
    return m_network;
}

std::string ArgsManager::GetChainNameLocked() const
{
    auto is_set = [&](const std::string& name) {
        const SettingValue v = MergeSetting(m_settings, "", name, {.chain_type = true});
        return ValueToBool(v).value_or(false);
    };
    const bool regtest = is_set("regtest");
    const bool signet = is_set("signet");
    const bool testnet = is_set("testnet");
    const bool testnet4 = is_set("testnet4");
    const std::optional<std::string> chain = GetArgLocked("-chain");
    if (int(chain.has_value()) + int(regtest) + int(signet) + int(testnet) + int(testnet4) > 1) {
        throw std::runtime_error(
            "Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.");
    }
    if (chain) return *chain;
    if (regtest) return std::string{ChainTypeToString(ChainType::REGTEST)};
    if (signet) return std::string{ChainTypeToString(ChainType::SIGNET)};
    if (testnet) return std::string{ChainTypeToString(ChainType::TESTNET)};
    if (testnet4) return std::string{ChainTypeToString(ChainType::TESTNET4)};
    return std::string{ChainTypeToString(ChainType::MAIN)};
}

std::optional<ChainType> ArgsManager::GetChainType(std::string& error) const
{
    std::lock_guard lock(m_mutex);
    std::string name;
    try {
        name = GetChainNameLocked();
    } catch (const std::runtime_error& e) {
        error = e.what();
        return std::nullopt;
    }
    const auto chain = ChainTypeFromString(name);
    if (!chain) error = "Unknown chain " + name + ".";
    return chain;
}

// ==== ArgsManager: directories =======================================================

fs::path ArgsManager::GetPathArgLocked(const std::string& name, const fs::path& default_value) const
{
    const SettingValue v = GetSettingLocked(name);
    if (v.IsFalse()) return {};
    const std::string s = ValueToString(v).value_or("");
    if (s.empty()) return default_value;
    fs::path p = fs::path(s).lexically_normal();
    return p.has_filename() ? p : p.parent_path();
}

fs::path ArgsManager::GetPathArg(const std::string& name, const fs::path& default_value) const
{
    std::lock_guard lock(m_mutex);
    return GetPathArgLocked(name, default_value);
}

fs::path ArgsManager::GetDefaultDataDir()
{
    const char* home = std::getenv("HOME");
    const fs::path base = (home == nullptr || *home == '\0') ? fs::path("/") : fs::path(home);
#ifdef __APPLE__
    return base / "Library/Application Support/Bitcoin";
#else
    return base / ".bitcoin";
#endif
}

fs::path ArgsManager::GetDataDirBaseLocked() const
{
    const fs::path datadir = GetPathArgLocked("-datadir", {});
    if (datadir.empty()) return GetDefaultDataDir();
    std::error_code ec;
    fs::path abs = fs::absolute(datadir, ec);
    if (ec || !fs::is_directory(abs, ec)) return {};
    return abs;
}

fs::path ArgsManager::GetDataDirNetLocked() const
{
    fs::path path = GetDataDirBaseLocked();
    if (path.empty()) return path;
    std::optional<ChainType> chain;
    if (!m_network.empty()) {
        chain = ChainTypeFromString(m_network);
    } else {
        try {
            chain = ChainTypeFromString(GetChainNameLocked());
        } catch (const std::runtime_error&) {
        }
    }
    if (chain && !ChainDataDirName(*chain).empty()) path /= std::string{ChainDataDirName(*chain)};
    return path;
}

fs::path ArgsManager::GetDataDirBase() const
{
    std::lock_guard lock(m_mutex);
    return GetDataDirBaseLocked();
}

fs::path ArgsManager::GetDataDirNet() const
{
    std::lock_guard lock(m_mutex);
    return GetDataDirNetLocked();
}

fs::path ArgsManager::GetBlocksDirPath() const
{
    std::lock_guard lock(m_mutex);
    fs::path path;
    if (!GetSettingLocked("-blocksdir").IsNull()) {
        std::error_code ec;
        path = fs::absolute(GetPathArgLocked("-blocksdir", {}), ec);
        if (ec || !fs::is_directory(path, ec)) return {};
    } else {
        path = GetDataDirBaseLocked();
        if (path.empty()) return {};
    }
    const fs::path net = GetDataDirNetLocked();
    const fs::path base = GetDataDirBaseLocked();
    // The network subdirectory is the part GetDataDirNet adds to the base.
    if (net != base && !net.empty()) path /= net.filename();
    return path / "blocks";
}

bool ArgsManager::CheckDataDir(std::string& error) const
{
    std::lock_guard lock(m_mutex);
    const fs::path datadir = GetPathArgLocked("-datadir", {});
    std::error_code ec;
    if (datadir.empty() || fs::is_directory(fs::absolute(datadir, ec), ec)) return true;
    error = "Specified data directory \"" + GetArgLocked("-datadir").value_or("") + "\" does not exist.";
    return false;
}

fs::path ArgsManager::AbsPathForConfigValLocked(const fs::path& path, bool net_specific) const
{
    if (path.empty() || path.is_absolute()) return path;
    return (net_specific ? GetDataDirNetLocked() : GetDataDirBaseLocked()) / path;
}

fs::path ArgsManager::AbsPathForConfigVal(const fs::path& path, bool net_specific) const
{
    std::lock_guard lock(m_mutex);
    return AbsPathForConfigValLocked(path, net_specific);
}

// ==== ArgsManager: settings.json =====================================================

bool ArgsManager::GetSettingsPathLocked(fs::path* path, bool temp, bool backup) const
{
    fs::path settings = GetPathArgLocked("-settings", SETTINGS_FILENAME);
    if (settings.empty()) return false;
    if (backup) settings += ".bak";
    if (temp) settings += ".tmp";
    if (path) *path = settings.is_absolute() ? settings : GetDataDirNetLocked() / settings;
    return true;
}

bool ArgsManager::GetSettingsPath(fs::path* path, bool temp, bool backup) const
{
    std::lock_guard lock(m_mutex);
    return GetSettingsPathLocked(path, temp, backup);
}

bool ArgsManager::ReadSettingsFile(std::string* error)
{
    std::lock_guard lock(m_mutex);
    fs::path path;
    if (!GetSettingsPathLocked(&path, false, false)) return true; // -nosettings
    m_settings.rw.clear();
    auto fail = [&](const std::string& message) {
        if (error) {
            *error = message;
        } else {
            LogWarning("{}", message);
        }
        return false;
    };
    std::error_code ec;
    if (!fs::exists(path, ec)) return true;
    std::ifstream file(path);
    if (!file.is_open()) return fail(path.string() + ". Please check permissions.");
    const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    UniValue in;
    if (!in.read(text)) {
        return fail("Settings file " + path.string() +
                    " does not contain valid JSON. This may be caused by a crash, power loss, full disk, or storage "
                    "error, and can be fixed by removing the file, which will reset settings to default values.");
    }
    if (file.bad()) return fail("Failed reading settings file " + path.string());
    if (!in.isObject()) return fail("Found non-object value " + in.write() + " in settings file " + path.string());
    const auto& keys = in.getKeys();
    const auto& values = in.getValues();
    std::map<std::string, SettingValue> read;
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!read.emplace(keys[i], FromUniValue(values[i])).second) {
            return fail("Found duplicate key " + keys[i] + " in settings file " + path.string());
        }
    }
    read.erase("_warning_");
    for (const auto& [key, value] : read) {
        if (!GetArgFlagsLocked('-' + InterpretKey(key).name)) LogWarning("Ignoring unknown rw_settings value {}", key);
    }
    m_settings.rw = std::move(read);
    return true;
}

bool ArgsManager::WriteSettingsFile(std::string* error, bool backup) const
{
    std::lock_guard lock(m_mutex);
    fs::path path, tmp;
    if (!GetSettingsPathLocked(&path, false, backup) || !GetSettingsPathLocked(&tmp, true, backup)) {
        throw std::logic_error("Attempt to write settings file when dynamic settings are disabled.");
    }
    auto fail = [&](const std::string& message) {
        if (error) {
            *error = message;
        } else {
            LogWarning("{}", message);
        }
        return false;
    };
    UniValue out{UniValue::VOBJ};
    out.__pushKV("_warning_", "This file is automatically generated and updated by Cairn. Please do not edit this "
                              "file while the node is running, as any changes might be ignored or overwritten.");
    for (const auto& [name, value] : m_settings.rw) out.__pushKV(name, ToUniValue(value));
    {
        std::ofstream file(tmp, std::ios::trunc);
        if (!file.is_open()) return fail("Error: Unable to open settings file " + tmp.string() + " for writing");
        file << out.write(4, 1) << '\n';
        if (file.fail()) return fail("Error: Unable to write settings file " + tmp.string());
        file.close();
        if (file.fail()) return fail("Error: Unable to close settings file " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return fail("Failed renaming settings file " + tmp.string() + " to " + path.string());
    return true;
}

SettingValue ArgsManager::GetRwSetting(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    const SettingValue* v = Find(m_settings.rw, SettingName(name));
    return v ? *v : SettingValue{};
}

void ArgsManager::SetRwSetting(const std::string& name, const SettingValue& value)
{
    std::lock_guard lock(m_mutex);
    if (value.IsNull()) {
        m_settings.rw.erase(SettingName(name));
    } else {
        m_settings.rw[SettingName(name)] = value;
    }
}

SettingValue ArgsManager::GetPersistentSetting(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    const std::string arg = '-' + SettingName(name);
    return MergeSetting(m_settings, m_network, SettingName(name),
                        {.ignore_top_level_config = !UseDefaultSectionLocked(arg), .ignore_nonpersistent = true});
}

// ==== ArgsManager: values ============================================================

bool ArgsManager::UseDefaultSectionLocked(const std::string& name) const
{
    return m_network == ChainTypeToString(ChainType::MAIN) || m_network_only_args.count(name) == 0;
}

SettingValue ArgsManager::GetSettingLocked(const std::string& name) const
{
    return MergeSetting(m_settings, m_network, SettingName(name),
                        {.ignore_top_level_config = !UseDefaultSectionLocked(name)});
}

std::vector<SettingValue> ArgsManager::GetSettingsListLocked(const std::string& name) const
{
    return MergeSettingsList(m_settings, m_network, SettingName(name), !UseDefaultSectionLocked(name));
}

std::optional<std::string> ArgsManager::GetArgLocked(const std::string& name) const
{
    return ValueToString(GetSettingLocked(name));
}

SettingValue ArgsManager::GetSetting(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    return GetSettingLocked(name);
}

std::vector<SettingValue> ArgsManager::GetSettingsList(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    return GetSettingsListLocked(name);
}

std::optional<std::string> ArgsManager::GetArg(const std::string& name) const
{
    std::lock_guard lock(m_mutex);
    return GetArgLocked(name);
}

std::string ArgsManager::GetArg(const std::string& name, const std::string& default_value) const
{
    return GetArg(name).value_or(default_value);
}

std::optional<int64_t> ArgsManager::GetIntArg(const std::string& name) const
{
    return ValueToInt(GetSetting(name));
}

int64_t ArgsManager::GetIntArg(const std::string& name, int64_t default_value) const
{
    return GetIntArg(name).value_or(default_value);
}

std::optional<bool> ArgsManager::GetBoolArg(const std::string& name) const
{
    return ValueToBool(GetSetting(name));
}

bool ArgsManager::GetBoolArg(const std::string& name, bool default_value) const
{
    return GetBoolArg(name).value_or(default_value);
}

std::vector<std::string> ArgsManager::GetArgs(const std::string& name) const
{
    std::vector<std::string> out;
    for (const SettingValue& v : GetSettingsList(name)) out.push_back(ValueToString(v).value_or(""));
    return out;
}

bool ArgsManager::IsArgSet(const std::string& name) const
{
    return !GetSetting(name).IsNull();
}

bool ArgsManager::IsArgNegated(const std::string& name) const
{
    return GetSetting(name).IsFalse();
}

bool ArgsManager::SoftSetArg(const std::string& name, const std::string& value)
{
    std::lock_guard lock(m_mutex);
    if (!GetSettingLocked(name).IsNull()) return false;
    m_settings.forced[SettingName(name)] = SettingValue::String(value);
    return true;
}

bool ArgsManager::SoftSetBoolArg(const std::string& name, bool value)
{
    return SoftSetArg(name, value ? "1" : "0");
}

void ArgsManager::ForceSetArg(const std::string& name, const std::string& value)
{
    std::lock_guard lock(m_mutex);
    m_settings.forced[SettingName(name)] = SettingValue::String(value);
}

void ArgsManager::ClearForcedArg(const std::string& name)
{
    std::lock_guard lock(m_mutex);
    m_settings.forced.erase(SettingName(name));
}

// ==== ArgsManager: help and logging ==================================================

bool ArgsManager::HelpRequested() const
{
    return IsArgSet("-?") || IsArgSet("-h") || IsArgSet("-help") || IsArgSet("-help-debug");
}

std::string ArgsManager::GetHelpMessage(bool show_debug) const
{
    std::lock_guard lock(m_mutex);
    std::string out;
    for (const auto& [category, args] : m_available_args) {
        if (category == OptionCategory::HIDDEN) break;
        if (category != OptionCategory::WALLET_DEBUG_TEST || show_debug) {
            out += std::string{OptionCategoryTitle(category)} + "\n\n";
        }
        for (const auto& [name, arg] : args) {
            if ((arg.flags & DEBUG_ONLY) && !show_debug) continue;
            std::string help = arg.help;
            if (arg.flags & NOT_IMPLEMENTED) help += help.empty() ? "(not implemented in Cairn yet)" : " (not implemented in Cairn yet)";
            out += std::string(HELP_OPT_INDENT, ' ') + name + arg.help_param + "\n";
            out += std::string(HELP_MSG_INDENT, ' ') + WrapText(help, HELP_MSG_INDENT) + "\n\n";
        }
    }
    return out;
}

void ArgsManager::LogArgs() const
{
    {
        std::lock_guard lock(m_mutex);
        auto shown = [&](const std::string& name, const SettingValue& value) {
            const auto flags = GetArgFlagsLocked('-' + name);
            return (flags && (*flags & SENSITIVE)) ? std::string{"****"} : value.ToJson();
        };
        for (const auto& [section, values_by_name] : m_settings.config) {
            const std::string prefix = section.empty() ? "" : "[" + section + "] ";
            for (const auto& [name, values] : values_by_name) {
                if (!GetArgFlagsLocked('-' + name)) continue;
                for (const SettingValue& v : values) LogInfo("Config file arg: {}{}={}", prefix, name, shown(name, v));
            }
        }
        for (const auto& [name, value] : m_settings.rw) {
            LogInfo("Setting file arg: {} = {}", name, shown(name, value));
        }
        for (const auto& [name, values] : m_settings.command_line) {
            if (!GetArgFlagsLocked('-' + name)) continue;
            for (const SettingValue& v : values) LogInfo("Command-line arg: {}={}", name, shown(name, v));
        }
    }
    LogUnimplementedArgs();
}

std::vector<std::string> ArgsManager::GetUnimplementedArgsSet() const
{
    std::lock_guard lock(m_mutex);
    std::set<std::string> out;
    for (const auto& [category, args] : m_available_args) {
        for (const auto& [name, arg] : args) {
            if (!(arg.flags & NOT_IMPLEMENTED)) continue;
            if (!GetSettingLocked(name).IsNull() || !GetSettingsListLocked(name).empty()) out.insert(name);
        }
    }
    return {out.begin(), out.end()};
}

void ArgsManager::LogUnimplementedArgs() const
{
    for (const std::string& name : GetUnimplementedArgsSet()) {
        bool first;
        {
            std::lock_guard lock(m_mutex);
            first = m_logged_unimplemented.insert(name).second;
        }
        if (first) {
            LogWarning("Option {} is accepted for compatibility with Bitcoin Core but is not implemented by Cairn yet; "
                       "it has no effect",
                       name);
        }
    }
}

} // namespace cairn

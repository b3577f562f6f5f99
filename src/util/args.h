// Command-line and configuration-file arguments, with Bitcoin Core's rules.
//
// Cairn is a drop-in for bitcoind, so every rule here follows Bitcoin Core
// (v28-v30): the same option syntax, the same config file and sections, the
// same precedence between sources, the same quirks and the same error texts.
//
// Sources, highest precedence first:
//   1. forced settings (ForceSetArg / SoftSetArg, "parameter interaction")
//   2. the command line
//   3. settings.json in the network datadir (read-write settings)
//   4. the config file, section of the selected network ([regtest] or regtest.x=)
//   5. the config file, top level
//   6. the default passed by the caller
// Within the command line the LAST value of a single-valued option wins;
// within the config file the FIRST value wins (Core keeps this for
// compatibility), except for the chain-selection options (-regtest, -testnet,
// -testnet4, -signet), where the last wins and a negation on the command line
// is ignored.
//
// Negation: "-nofoo" is false; "-nofoo=0" is a double negative meaning true
// (logged as confusing). A negation also cancels every earlier value of a
// list option (GetArgs) from the same source and, on the command line, every
// config-file value unless non-negated values follow it.
//
// Options marked NETWORK_ONLY (-addnode, -bind, -connect, -port, -rpcbind,
// -rpcport, -wallet, -walletdir) are taken from the top level of the config
// file only on mainnet; on another chain they must be in its section
// (GetUnsuitableSectionOnlyArgs lists those given only at the top level).
//
// Thread safety: every public method may be called from any thread.
#ifndef CAIRN_UTIL_ARGS_H
#define CAIRN_UTIL_ARGS_H

#include "util/chaintype.h"

#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** The default config file name in the datadir. When it does not exist,
 *  BITCOIN_CONF_FILENAME is read instead, so an existing bitcoind datadir
 *  works unchanged. */
inline constexpr const char* CAIRN_CONF_FILENAME = "cairn.conf";
inline constexpr const char* BITCOIN_CONF_FILENAME = "bitcoin.conf";
inline constexpr const char* SETTINGS_FILENAME = "settings.json";

/** The sections of -help, in Bitcoin Core's order. */
enum class OptionCategory {
    OPTIONS,
    CONNECTION,
    WALLET,
    WALLET_DEBUG_TEST,
    ZMQ,
    DEBUG_TEST,
    CHAINPARAMS,
    NODE_RELAY,
    BLOCK_CREATION,
    RPC,
    GUI,
    COMMANDS,
    REGISTER_COMMANDS,
    CLI_COMMANDS,
    IPC,
    HIDDEN, //!< accepted, never shown; always last
};

/** The -help header of a category ("Connection options:"); "" for HIDDEN. */
std::string_view OptionCategoryTitle(OptionCategory category);

/** The datadir subdirectory of a network: "" for main, "testnet3",
 *  "testnet4", "signet", "regtest". */
std::string_view ChainDataDirName(ChainType chain);

/**
 * Integer value of an argument the way Bitcoin Core reads it (atoi-like):
 * surrounding whitespace is ignored, one leading '+' is allowed, the digits
 * are read up to the first other character ("450MB" is 450, "1e3" is 1),
 * no digits gives 0 ("abc", "0x10", "+-1"), and values beyond the int64
 * range saturate to INT64_MIN / INT64_MAX.
 */
int64_t InterpretInt(std::string_view value);

/** Boolean value of an argument the way Bitcoin Core reads it: "" is true,
 *  anything else is InterpretInt(value) != 0, so "1", " 2", "1x" are true
 *  and "0", "true", "yes", "abc" are false. */
bool InterpretBool(std::string_view value);

/**
 * One value of a setting: a string (the command line and config file only
 * produce strings and, for negations, false), a bool, or a JSON value read
 * from settings.json (a number kept as its text, an array of values, or an
 * object kept as JSON text).
 */
class SettingValue
{
public:
    enum class Type { NONE, BOOL, STRING, NUMBER, ARRAY, OBJECT };

    SettingValue() = default;
    static SettingValue Bool(bool b);
    static SettingValue String(std::string s);
    static SettingValue Number(std::string text);
    static SettingValue Array(std::vector<SettingValue> items);
    static SettingValue Object(std::string json);

    Type type() const { return m_type; }
    bool IsNull() const { return m_type == Type::NONE; }
    bool IsBool() const { return m_type == Type::BOOL; }
    bool IsFalse() const { return m_type == Type::BOOL && !m_bool; }
    bool IsTrue() const { return m_type == Type::BOOL && m_bool; }
    bool IsString() const { return m_type == Type::STRING; }
    bool IsArray() const { return m_type == Type::ARRAY; }
    bool GetBool() const { return m_bool; }
    /** The string, the number's text or the object's JSON. */
    const std::string& GetStr() const { return m_str; }
    const std::vector<SettingValue>& GetItems() const { return m_items; }

    /** JSON text: "\"abc\"", "false", "12", "[\"a\",\"b\"]", "null". */
    std::string ToJson() const;

    bool operator==(const SettingValue& other) const = default;

private:
    Type m_type{Type::NONE};
    bool m_bool{false};
    std::string m_str;
    std::vector<SettingValue> m_items;
};

/** Where a [section] (or a "section.name=" key) appeared in a config file. */
struct ConfigSectionInfo {
    std::string name;
    std::string file;
    int line{0};
};

class ArgsManager
{
public:
    /** Flags of a registered option (Bitcoin Core's values, plus NOT_IMPLEMENTED). */
    enum Flags : unsigned {
        ALLOW_ANY = 0x01,          //!< no validation of the value
        DISALLOW_NEGATION = 0x20,  //!< -nofoo is an error
        DISALLOW_ELISION = 0x40,   //!< -foo without "=value" is an error
        DEBUG_ONLY = 0x100,        //!< shown by -help-debug only
        NETWORK_ONLY = 0x200,      //!< top level of the config file applies to mainnet only
        SENSITIVE = 0x400,         //!< value never logged
        COMMAND = 0x800,           //!< a cli command (AddCommand)
        NOT_IMPLEMENTED = 0x1000,  //!< a Core option Cairn accepts but ignores (logged once)
    };

    /** A registered option, for -help and tests. */
    struct RegisteredArg {
        std::string name;       //!< "-datadir"
        std::string help_param; //!< "=<dir>" or ""
        std::string help;
        unsigned flags{0};
        OptionCategory category{OptionCategory::OPTIONS};
    };

    /** The positional arguments of the command line (cairn-cli). */
    struct Command {
        std::string command;           //!< the registered command (AddCommand), or ""
        std::vector<std::string> args; //!< what followed it (or everything, when no command is registered)
    };

    ArgsManager();
    ~ArgsManager();
    ArgsManager(const ArgsManager&) = delete;
    ArgsManager& operator=(const ArgsManager&) = delete;

    // ---- Registration ----------------------------------------------------

    /**
     * Registers an option. name_with_value is the name with a leading dash
     * and, for -help, an optional value placeholder: "-datadir=<dir>",
     * "-printtoconsole". Registering a name twice throws std::logic_error.
     */
    void AddArg(const std::string& name_with_value, const std::string& help, unsigned flags, OptionCategory category);
    /** Registers options that are accepted but never shown (OptionCategory::HIDDEN). */
    void AddHiddenArgs(const std::vector<std::string>& names);
    /** Registers a cli command ("getinfo"): from then on, the first positional
     *  argument must be a registered command. */
    void AddCommand(const std::string& command, const std::string& help);
    /** Forgets every registration and every value. */
    void ClearArgs();

    /** Flags of a registered option ("-datadir"), or nullopt if unknown. */
    std::optional<unsigned> GetArgFlags(const std::string& name) const;
    /** Every registered option, by category then name. */
    std::vector<RegisteredArg> GetRegisteredArgs() const;

    // ---- Sources ---------------------------------------------------------

    /**
     * Parses argv[1..argc): "-name", "-name=value", "--name=value",
     * "-noname", "-noname=0". Replaces earlier command-line values. The first
     * argument without a leading '-' ends option parsing: it and everything
     * after it are kept for GetCommand(). A lone "-" ends parsing too.
     * Errors (Core's texts): "Invalid parameter -foo=1" for an unknown
     * option or one with a section ("-regtest.port=1": sections are for the
     * config file only), "Negating of -x is meaningless and therefore
     * forbidden", "Can not set -x with no value. Please specify value with
     * -x=value.", "-includeconf cannot be used from commandline;
     * -includeconf=\"f\"".
     */
    bool ParseParameters(int argc, const char* const argv[], std::string& error);

    /** The positional arguments, or nullopt if there were none. */
    std::optional<Command> GetCommand() const;

    /**
     * Reads the config file: -conf (relative paths are relative to the
     * datadir; -noconf reads none), else cairn.conf in the datadir, else
     * bitcoin.conf there. A missing default file is fine; a missing -conf
     * file is an error. Then reads the includeconf= files named at the top
     * level and in the section of the selected chain (relative to the
     * datadir; only from the main file: includeconf= inside an included
     * file is ignored with a warning, see GetConfigWarnings()). Unknown keys
     * are errors ("Invalid configuration value foo") unless
     * ignore_invalid_keys, when they are logged and skipped (bitcoind reads
     * its config that way, since bitcoin-cli options share the file).
     * Finally checks that -datadir (possibly set by the file) exists.
     * Replaces any earlier config-file values.
     */
    bool ReadConfigFiles(std::string& error, bool ignore_invalid_keys = false);

    /** Parses config-file text as if it were the main config file (without
     *  following includeconf=); for tests and fuzzing. Replaces earlier
     *  config-file values. file_name is used in section locations. */
    bool ReadConfigString(const std::string& text, std::string& error, bool ignore_invalid_keys = false,
                          const std::string& file_name = "");

    /** The config file ReadConfigFiles chose (empty with -noconf or before). */
    std::filesystem::path GetConfigFilePath() const;
    /** Warnings from the last ReadConfigFiles (ignored nested includeconf=),
     *  in Core's wording; they are also printed to stderr as Core does. */
    std::vector<std::string> GetConfigWarnings() const;
    /** Sections of the config files that name no known network (Core
     *  warns "<file>:<line> Section [x] is not recognized."). */
    std::list<ConfigSectionInfo> GetUnrecognizedSections() const;
    /**
     * NETWORK_ONLY options that are set only at the top level of the config
     * file while a chain other than main is selected, so they are ignored
     * ("-rpcport"). Bitcoin Core refuses to start with, for each,
     * UnsuitableSectionOnlyMessage().
     */
    std::set<std::string> GetUnsuitableSectionOnlyArgs() const;
    /** "Config setting for -rpcport only applied on regtest network when in [regtest] section." */
    static std::string UnsuitableSectionOnlyMessage(const std::string& arg, const std::string& chain);

    // ---- Network -----------------------------------------------------------

    /** Selects the config-file section to use ("main", "test", "regtest", ...).
     *  Must be called once the chain is known; until then NETWORK_ONLY
     *  options ignore the top level of the config file (as in Core). */
    void SelectConfigNetwork(const std::string& network);
    std::string GetSelectedNetwork() const;

    /**
     * The chain selected by -chain, -regtest, -testnet, -testnet4, -signet
     * (main if none). nullopt with error set when more than one is given
     * ("Invalid combination of -regtest, -signet, -testnet, -testnet4 and
     * -chain. Can use at most one.") or -chain names no known chain
     * ("Unknown chain foo.").
     */
    std::optional<ChainType> GetChainType(std::string& error) const;

    // ---- Directories -----------------------------------------------------

    /** A path argument, normalized, without a trailing slash; the default
     *  when unset or empty; empty when negated. */
    std::filesystem::path GetPathArg(const std::string& name, const std::filesystem::path& default_value = {}) const;
    /** $HOME/.bitcoin ("/.bitcoin" without HOME): the same default as bitcoind. */
    static std::filesystem::path GetDefaultDataDir();
    /** -datadir made absolute, or the default. Empty if -datadir is not a directory. */
    std::filesystem::path GetDataDirBase() const;
    /** GetDataDirBase() / ChainDataDirName(selected network). */
    std::filesystem::path GetDataDirNet() const;
    /** (-blocksdir or the base datadir) / network subdir / "blocks"; empty if
     *  -blocksdir is not a directory. Creates nothing. */
    std::filesystem::path GetBlocksDirPath() const;
    /** True if -datadir is unset or names an existing directory; otherwise
     *  false with error "Specified data directory \"x\" does not exist." */
    bool CheckDataDir(std::string& error) const;
    /** path if absolute (or empty), else prefixed by the network datadir
     *  (or the base datadir when !net_specific). */
    std::filesystem::path AbsPathForConfigVal(const std::filesystem::path& path, bool net_specific = true) const;

    // ---- settings.json ---------------------------------------------------

    /** The settings file (-settings, default settings.json, relative to the
     *  network datadir); false if disabled with -nosettings. */
    bool GetSettingsPath(std::filesystem::path* path = nullptr, bool temp = false, bool backup = false) const;
    /** Reads the settings file (a missing file is an empty one). Errors, with
     *  Core's texts, go to *error (or the log if null). Unknown keys are kept
     *  and logged. Returns true when disabled. */
    bool ReadSettingsFile(std::string* error = nullptr);
    /** Writes the settings file (through a .tmp file and a rename) as a JSON
     *  object with Core's "_warning_" entry first. Throws std::logic_error if
     *  disabled with -nosettings. */
    bool WriteSettingsFile(std::string* error = nullptr, bool backup = false) const;
    /** A value in settings.json (null if absent). */
    SettingValue GetRwSetting(const std::string& name) const;
    /** Sets (or, with a null value, removes) a value of settings.json in
     *  memory; WriteSettingsFile() saves it. Name without the dash. */
    void SetRwSetting(const std::string& name, const SettingValue& value);
    /** The effective value ignoring the command line and forced settings:
     *  what would apply after a restart without them. */
    SettingValue GetPersistentSetting(const std::string& name) const;

    // ---- Values ----------------------------------------------------------

    /** The effective value of "-name" (null if unset; false if negated). */
    SettingValue GetSetting(const std::string& name) const;
    /** The effective values of a list option, in order. */
    std::vector<SettingValue> GetSettingsList(const std::string& name) const;

    std::optional<std::string> GetArg(const std::string& name) const;
    std::string GetArg(const std::string& name, const std::string& default_value) const;
    std::optional<int64_t> GetIntArg(const std::string& name) const;
    int64_t GetIntArg(const std::string& name, int64_t default_value) const;
    std::optional<bool> GetBoolArg(const std::string& name) const;
    bool GetBoolArg(const std::string& name, bool default_value) const;
    /** Every value of a list option ("-addnode"); negated values read "0". */
    std::vector<std::string> GetArgs(const std::string& name) const;
    /** True if the option has a value from any source (a negation counts). */
    bool IsArgSet(const std::string& name) const;
    /** True if the effective value is a negation (-nofoo). */
    bool IsArgNegated(const std::string& name) const;

    /** Sets a forced value unless the option is already set; true if set. */
    bool SoftSetArg(const std::string& name, const std::string& value);
    bool SoftSetBoolArg(const std::string& name, bool value);
    /** Sets a forced value, above every other source. */
    void ForceSetArg(const std::string& name, const std::string& value);
    void ClearForcedArg(const std::string& name);

    // ---- Help and logging ------------------------------------------------

    /** True if -?, -h, -help or -help-debug is set. */
    bool HelpRequested() const;
    /** The option list of -help, by category, as Core formats it. */
    std::string GetHelpMessage(bool show_debug) const;

    /** Logs every config-file, settings-file and command-line value
     *  (SENSITIVE ones as "****"), then LogUnimplementedArgs(). */
    void LogArgs() const;
    /** Logs each set NOT_IMPLEMENTED option (once per process and option). */
    void LogUnimplementedArgs() const;
    /** The NOT_IMPLEMENTED options that are set, sorted ("-upnp"). */
    std::vector<std::string> GetUnimplementedArgsSet() const;

private:
    struct Arg {
        std::string help_param;
        std::string help;
        unsigned flags;
    };
    struct Settings {
        std::map<std::string, SettingValue> forced;
        std::map<std::string, std::vector<SettingValue>> command_line;
        std::map<std::string, SettingValue> rw;
        /** section ("" for the top level) -> name -> values in file order */
        std::map<std::string, std::map<std::string, std::vector<SettingValue>>> config;
    };

    std::optional<unsigned> GetArgFlagsLocked(const std::string& name) const;
    bool UseDefaultSectionLocked(const std::string& name) const;
    SettingValue GetSettingLocked(const std::string& name) const;
    std::vector<SettingValue> GetSettingsListLocked(const std::string& name) const;
    std::optional<std::string> GetArgLocked(const std::string& name) const;
    std::filesystem::path GetPathArgLocked(const std::string& name, const std::filesystem::path& default_value) const;
    std::filesystem::path GetDataDirBaseLocked() const;
    std::filesystem::path GetDataDirNetLocked() const;
    std::filesystem::path AbsPathForConfigValLocked(const std::filesystem::path& path, bool net_specific) const;
    bool GetSettingsPathLocked(std::filesystem::path* path, bool temp, bool backup) const;
    /** The chain name ("regtest", or the unknown -chain value); throws
     *  std::runtime_error on a combination of chain options. */
    std::string GetChainNameLocked() const;
    bool ReadConfigStreamLocked(std::istream& stream, const std::string& file_name, std::string& error,
                                bool ignore_invalid_keys);

    mutable std::mutex m_mutex;
    Settings m_settings;
    std::vector<std::string> m_command;
    std::string m_network;
    std::set<std::string> m_network_only_args;
    std::map<OptionCategory, std::map<std::string, Arg>> m_available_args;
    bool m_accept_any_command{true};
    std::list<ConfigSectionInfo> m_config_sections;
    std::filesystem::path m_config_path;
    std::vector<std::string> m_config_warnings;
    mutable std::set<std::string> m_logged_unimplemented;
};

} // namespace cairn

#endif

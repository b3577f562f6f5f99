// Command-line arguments to JSON-RPC parameters, as bitcoin-cli converts them.
//
// Every argument is sent as a JSON string unless Core's client-side table
// says the parameter (by method and position, or by method and name with
// -named) is not a string: then the argument is parsed as JSON ("5", "true",
// "[...]", "{...}", "null"), and text that is not JSON is an error
// "Error parsing JSON: <arg>". The table covers every RPC of Bitcoin Core's
// recent releases (node and wallet), so arguments reach a Cairn node typed
// exactly as bitcoin-cli would send them.
#ifndef CAIRN_CLI_CONVERT_H
#define CAIRN_CLI_CONVERT_H

#include <univalue.h>

#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** True if parameter `index` of `method` is sent as JSON rather than as a string. */
bool IsJsonParam(const std::string& method, int index);
/** True if the parameter named `name` of `method` is sent as JSON. */
bool IsJsonParam(const std::string& method, const std::string& name);

/** Parses any JSON value (scalars included); throws std::runtime_error
 *  "Error parsing JSON: <raw>" when `raw` is not exactly one JSON value. */
UniValue ParseJsonArg(std::string_view raw);

/** Positional parameters: an array, each element converted per the table. */
UniValue ConvertPositionalArgs(const std::string& method, const std::vector<std::string>& args);

/**
 * -named parameters: "name=value" arguments become object members (a later
 * value of a name replaces an earlier one); arguments without '=' are
 * positional and are sent, in order, as the member "args" appended last
 * (without replacing an explicit "args=", so that the server reports the
 * clash).
 */
UniValue ConvertNamedArgs(const std::string& method, const std::vector<std::string>& args);

} // namespace cairn

#endif

// A streaming JSON writer that appends straight to one std::string, in
// exactly the compact form UniValue::write() produces (no spaces, keys in
// the order written, UniValue's string escapes). Big results (getblock at
// verbosity 2 and 3: megabytes of JSON) are built this way instead of as a
// UniValue tree, which costs an allocation per value and a second pass to
// write; the bytes are the same, which test/unit/rpc/json_writer_tests.cpp
// checks against UniValue on real blocks.
#ifndef CAIRN_RPC_JSON_WRITER_H
#define CAIRN_RPC_JSON_WRITER_H

#include "util/span.h"
#include "util/uint256.h"

#include <univalue.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

class JsonWriter
{
public:
    explicit JsonWriter(std::string& out) : m_out(out) {}

    void BeginObject() { Open('{'); }
    void EndObject() { Close('}'); }
    void BeginArray() { Open('['); }
    void EndArray() { Close(']'); }

    /** A member name; the next call writes its value. */
    void Key(std::string_view key);

    /** A string, escaped as UniValue does. */
    void String(std::string_view s);
    /** A string known to need no escaping (hex, asm, addresses, type names). */
    void PlainString(std::string_view s);
    void Int(int64_t v);
    void UInt(uint64_t v);
    void Bool(bool v) { Raw(v ? "true" : "false"); }
    void Null() { Raw("null"); }
    /** Satoshis as BTC with 8 decimals (ValueFromAmount's number). */
    void Amount(int64_t sats);
    /** Bytes as a lower-case hex string. */
    void Hex(ByteSpan bytes);
    /** A hash as its usual reversed hex string (uint256::GetHex). */
    void Hash(const uint256& hash);
    /** Already serialized JSON (a value, or anything UniValue::write gives). */
    void Raw(std::string_view json);
    /** A UniValue, through its own write(). */
    void Value(const UniValue& v) { Raw(v.write()); }

    std::string& Out() { return m_out; }

private:
    void Separate()
    {
        if (m_need_comma) m_out.push_back(',');
        m_need_comma = true;
    }
    void Open(char c)
    {
        Separate();
        m_out.push_back(c);
        m_need_comma = false;
    }
    void Close(char c)
    {
        m_out.push_back(c);
        m_need_comma = true;
    }

    std::string& m_out;
    /** A value was written at this level: the next one needs a comma. */
    bool m_need_comma{false};
};

/** JSON text `s` escaped as UniValue writes a string, quotes included. */
void AppendJsonString(std::string& out, std::string_view s);

/**
 * Pre-serialized JSON as a UniValue whose write() gives the text back
 * unchanged: UniValue writes a number's text verbatim, so the text rides in
 * a VNUM. Only for a reply on its way to the HTTP client (nothing inspects
 * it there); a method returns it only when the request allows it
 * (JsonRpcRequest::json_text_ok), in-process callers get a real tree.
 */
UniValue JsonTextValue(std::string json);

} // namespace cairn

#endif

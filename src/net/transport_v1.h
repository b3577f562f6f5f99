// The v1 transport: a 24-byte header (magic, command, length, checksum) and
// the payload, parsed incrementally from whatever slices the socket gives.
//
// The header is checked as soon as it is complete, before any payload is
// buffered: wrong magic or a length over MAX_PROTOCOL_MESSAGE_LENGTH is
// fatal (the caller disconnects). The payload buffer grows with the bytes
// actually received, never by the claimed length alone, so a peer cannot
// make us allocate 4 MB by sending 24 bytes. A bad checksum or a malformed
// command name is not fatal: the message is handed up marked `rejected`
// and dropped by the caller, as Core does. Errors are worded as Core's
// ("Header error: ..."), with the peer's command sanitized, so log checks
// written for Core match; the parser logs a rejection itself (category net).
#ifndef CAIRN_NET_TRANSPORT_V1_H
#define CAIRN_NET_TRANSPORT_V1_H

#include "crypto/hash.h"
#include "net/protocol.h"

#include <string>
#include <vector>

namespace cairn {

struct ReceivedMessage {
    /** The command up to its first NUL; for a rejected message, sanitized
     *  (SanitizeMessageType), as it is only good for the log then. */
    std::string command;
    Bytes payload;
    /** Header + payload, for the byte counters. */
    size_t raw_size{0};
    /** Bad checksum or command name: to be dropped. */
    bool rejected{false};
    /** Why it was rejected, in Core's words ("Header error: Wrong checksum (...)"). */
    std::string reject_reason;
};

class V1Parser
{
public:
    explicit V1Parser(const MessageStart& magic) : m_magic(magic) {}

    /** Consumes all of `data`, appending complete messages to `out`.
     *  Returns false on a fatal error (`error` says which); the parser is
     *  then unusable and the connection must be closed. */
    bool Feed(ByteSpan data, std::vector<ReceivedMessage>& out, std::string& error);

    /** Bytes held for the message being received (header and payload so far). */
    size_t BufferedBytes() const { return m_header_pos + m_payload.size(); }

private:
    void Reset();

    MessageStart m_magic;
    uint8_t m_header_buf[HEADER_SIZE]{};
    size_t m_header_pos{0};
    bool m_in_payload{false};
    MessageHeader m_header;
    Bytes m_payload;
    size_t m_payload_pos{0};
    Sha256 m_hasher;
    bool m_failed{false};
};

/** A complete v1 message: header (with checksum) + payload. */
Bytes FrameMessage(const MessageStart& magic, std::string_view command, ByteSpan payload);

} // namespace cairn

#endif

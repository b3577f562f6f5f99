#include "net/transport_v1.h"

#include "util/hex.h"
#include "util/log.h"

#include <algorithm>
#include <cstring>

namespace cairn {

namespace {

/** The payload buffer grows by at most this much ahead of the data. */
constexpr size_t GROW_STEP = 256 * 1024;

} // namespace

void V1Parser::Reset()
{
    m_header_pos = 0;
    m_in_payload = false;
    m_payload.clear();
    m_payload_pos = 0;
    m_hasher.Reset();
}

bool V1Parser::Feed(ByteSpan data, std::vector<ReceivedMessage>& out, std::string& error)
{
    if (m_failed) {
        error = "parser already failed";
        return false;
    }
    while (!data.empty()) {
        if (!m_in_payload) {
            const size_t n = std::min(HEADER_SIZE - m_header_pos, data.size());
            std::memcpy(m_header_buf + m_header_pos, data.data(), n);
            m_header_pos += n;
            data = data.subspan(n);
            if (m_header_pos < HEADER_SIZE) break;
            m_header = DeserializeMessageHeader({m_header_buf, HEADER_SIZE});
            if (m_header.magic != m_magic) {
                m_failed = true;
                error = "Header error: Wrong MessageStart " + HexStr(m_header.magic) + " received";
                return false;
            }
            if (m_header.length > MAX_PROTOCOL_MESSAGE_LENGTH) {
                m_failed = true;
                error = "Header error: Size too large (" + SanitizeMessageType(m_header.Command()) + ", " +
                        std::to_string(m_header.length) + " bytes)";
                return false;
            }
            m_in_payload = true;
        } else {
            const size_t want = m_header.length - m_payload_pos;
            const size_t n = std::min(want, data.size());
            if (m_payload.size() < m_payload_pos + n) {
                m_payload.resize(std::min<size_t>(m_header.length, m_payload_pos + n + GROW_STEP));
            }
            std::memcpy(m_payload.data() + m_payload_pos, data.data(), n);
            m_hasher.Write(data.first(n));
            m_payload_pos += n;
            data = data.subspan(n);
        }
        if (m_in_payload && m_payload_pos == m_header.length) {
            ReceivedMessage msg;
            msg.command = m_header.Command();
            msg.raw_size = HEADER_SIZE + m_header.length;
            uint8_t first[32], second[32];
            m_hasher.Finalize(first);
            Sha256().Write({first, 32}).Finalize(second);
            // As Core: the checksum first, then the command's characters.
            if (std::memcmp(second, m_header.checksum.data(), CHECKSUM_SIZE) != 0) {
                msg.rejected = true;
                msg.command = SanitizeMessageType(msg.command);
                msg.reject_reason = "Header error: Wrong checksum (" + msg.command + ", " +
                                    std::to_string(m_header.length) + " bytes), expected " +
                                    HexStr({second, CHECKSUM_SIZE}) + " was " + HexStr(m_header.checksum);
            } else if (!m_header.IsCommandValid()) {
                msg.rejected = true;
                msg.command = SanitizeMessageType(msg.command);
                msg.reject_reason = "Header error: Invalid message type (" + msg.command + ", " +
                                    std::to_string(m_header.length) + " bytes)";
            }
            if (msg.rejected) LogDebug(LogCategory::NET, "{}", msg.reject_reason);
            m_payload.resize(m_header.length);
            msg.payload = std::move(m_payload);
            out.push_back(std::move(msg));
            Reset();
        }
    }
    return true;
}

Bytes FrameMessage(const MessageStart& magic, std::string_view command, ByteSpan payload)
{
    MessageHeader h;
    h.magic = magic;
    std::memcpy(h.command.data(), command.data(), std::min(command.size(), COMMAND_SIZE));
    h.length = uint32_t(payload.size());
    h.checksum = MessageChecksum(payload);
    Bytes out;
    out.reserve(HEADER_SIZE + payload.size());
    SerializeMessageHeader(out, h);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

} // namespace cairn

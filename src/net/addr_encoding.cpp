#include "net/addr_encoding.h"

#include "net/netgroup.h"

#include <algorithm>
#include <stdexcept>

namespace cairn {

namespace {

/** CAddress's disk version word: a client version (ignored) and the addrv2 flag. */
constexpr uint32_t DISK_VERSION_INIT = 220000;
constexpr uint32_t DISK_VERSION_IGNORE_MASK = 0x0007ffff;
constexpr uint32_t DISK_VERSION_ADDRV2 = 1u << 29;

uint16_t ReadPortBE(Reader& r)
{
    const uint8_t hi = r.U8();
    return uint16_t(hi << 8 | r.U8());
}

void WritePortBE(VectorWriter& w, uint16_t port)
{
    WriteU8(w, uint8_t(port >> 8));
    WriteU8(w, uint8_t(port & 0xff));
}

} // namespace

void ThrowIosFailure(const std::string& msg)
{
    throw std::runtime_error(msg + ": iostream error");
}

void WriteNetAddrV2(Bytes& out, const NetAddr& a)
{
    VectorWriter w(out);
    if (IsInternalAddr(a) || !a.GetBip155Net()) {
        // Internal names (DNS-seed sources) travel inside IPv6, as in Core.
        const auto v1 = ToV1BytesWithInternal(a);
        WriteU8(w, uint8_t(Bip155Net::IPV6));
        WriteVarBytes(w, ByteSpan(v1.data(), v1.size()));
        return;
    }
    WriteU8(w, uint8_t(*a.GetBip155Net()));
    WriteVarBytes(w, a.Raw());
}

NetAddr ReadNetAddrV2(Reader& r)
{
    const uint8_t net = r.U8();
    const uint64_t size = r.CompactSize();
    if (size > MAX_ADDRV2_SIZE) {
        ThrowIosFailure("Address too long: " + std::to_string(size) + " > " + std::to_string(MAX_ADDRV2_SIZE));
    }
    const ByteSpan bytes = r.ReadBytes(size_t(size));
    static constexpr std::pair<uint8_t, size_t> KNOWN[] = {{1, 4}, {2, 16}, {4, 32}, {5, 32}, {6, 16}};
    for (const auto& [id, len] : KNOWN) {
        if (net == id && size != len) {
            ThrowIosFailure("BIP155 address of network " + std::to_string(net) + " with length " +
                            std::to_string(size) + " (should be " + std::to_string(len) + ")");
        }
    }
    if (net == uint8_t(Bip155Net::IPV6)) {
        const NetAddr internal = FromV1BytesWithInternal(bytes);
        if (IsInternalAddr(internal)) return internal;
    }
    return NetAddr::FromBip155(net, bytes).value_or(NetAddr{});
}

NetAddr ReadNetAddrV1(Reader& r)
{
    return FromV1BytesWithInternal(r.ReadBytes(16));
}

void WriteDiskAddress(Bytes& out, const AddrEntry& a)
{
    {
        VectorWriter w(out);
        WriteU32LE(w, DISK_VERSION_INIT | DISK_VERSION_ADDRV2);
        WriteU32LE(w, a.time);
        WriteCompactSize(w, a.services);
    }
    WriteNetAddrV2(out, a.addr);
    VectorWriter w(out);
    WritePortBE(w, a.addr.GetPort());
}

AddrEntry ReadDiskAddress(Reader& r, bool v2_stream)
{
    const uint32_t version = r.U32LE() & ~DISK_VERSION_IGNORE_MASK;
    bool use_v2 = false;
    if (version == 0) {
        use_v2 = false;
    } else if (version == DISK_VERSION_ADDRV2 && v2_stream) {
        use_v2 = true;
    } else {
        ThrowIosFailure("Unsupported CAddress disk format version");
    }
    AddrEntry e;
    e.time = r.U32LE();
    if (use_v2) {
        e.services = r.CompactSize(/*range_check=*/false);
        const NetAddr a = ReadNetAddrV2(r);
        e.addr = Service(a, ReadPortBE(r));
    } else {
        e.services = r.U64LE();
        const NetAddr a = ReadNetAddrV1(r);
        e.addr = Service(a, ReadPortBE(r));
    }
    return e;
}

} // namespace cairn

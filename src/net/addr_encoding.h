// Bitcoin Core's disk encodings of addresses, shared by peers.dat and
// anchors.dat: a BIP 155 address (network id, length, bytes; DNS-seed
// "internal" names carried inside IPv6) and CAddress's disk form (a version
// word whose bit 29 says "addrv2", the time, the services, the address and
// the port big-endian). See doc/design/p2p.md.
#ifndef CAIRN_NET_ADDR_ENCODING_H
#define CAIRN_NET_ADDR_ENCODING_H

#include "net/messages.h"
#include "net/netaddress.h"
#include "util/serialize.h"

#include <string>

namespace cairn {

/** Core reports format errors through std::ios_base::failure, whose text ends in
 *  ": iostream error"; this throws a std::runtime_error with the same text. */
[[noreturn]] void ThrowIosFailure(const std::string& msg);

void WriteNetAddrV2(Bytes& out, const NetAddr& a);
/** Unknown networks and IPv4 inside IPv6 read as an invalid address (as Core); a wrong
 *  length for a known network or an address over 512 bytes throws. */
NetAddr ReadNetAddrV2(Reader& r);
/** The 16-byte form of older files (IPv4-mapped, internal names recognised). */
NetAddr ReadNetAddrV1(Reader& r);

/** CAddress in its disk form, always written as addrv2. */
void WriteDiskAddress(Bytes& out, const AddrEntry& a);
/** v2_stream: the file allows addrv2 entries (peers.dat format 3 and later, anchors.dat). */
AddrEntry ReadDiskAddress(Reader& r, bool v2_stream);

} // namespace cairn

#endif

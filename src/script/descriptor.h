// Output descriptors (BIP 380-386, as Bitcoin Core implements them): a text
// language naming a set of scriptPubKeys, e.g.
//   wpkh([d34db33f/84h/0h/0h]xpub6.../0/*)#checksum
// Supported: pk, pkh, wpkh, combo, sh, wsh, multi, sortedmulti, multi_a and
// sortedmulti_a (inside tr), tr with a key and optionally a script tree of
// pk/pkh/multi_a leaves, addr, raw, rawtr; keys as hex (x-only in tr), WIF,
// xpub/xprv with derivation paths, hardened steps, ranges /* and /*h, key
// origins [fingerprint/path] and multipath steps <a;b>. Miniscript is not.
//
// Parse errors carry Bitcoin Core's messages, since getdescriptorinfo and
// friends return them to the user.
#ifndef CAIRN_SCRIPT_DESCRIPTOR_H
#define CAIRN_SCRIPT_DESCRIPTOR_H

#include "primitives/script.h"
#include "util/chaintype.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn {

namespace descriptor_detail {
struct Node;
}

/** One parsed descriptor; immutable, so it may be shared between threads. */
class Descriptor
{
public:
    Descriptor(std::shared_ptr<const descriptor_detail::Node> root, ChainType chain);
    ~Descriptor();

    /** The canonical public form with "#checksum": private keys replaced by
     *  their public keys, hardened markers as written ('h' or '\''). */
    std::string ToString() const;
    /** Contains a ranged key (one ending in a star step); then the position passed to Expand matters. */
    bool IsRange() const;
    /** Not addr() or raw(): the scripts' keys are known. */
    bool IsSolvable() const;
    /** Holds a WIF key or an xprv. */
    bool HasPrivateKeys() const;

    /**
     * The scriptPubKeys at position `pos` of the range (ignored when not
     * ranged): one script, or two or four for combo(). False when a key needs
     * hardened derivation from an xpub ("Cannot derive script without
     * private keys" in Core's RPCs).
     */
    bool Expand(uint32_t pos, std::vector<Script>& out) const;

    /** As Expand, with each script's descriptor as Bitcoin Core infers it
     *  from the script and the expanded keys (scantxoutset's "desc"): keys
     *  concrete, each with its origin "[fingerprint/path]", plus checksum. */
    bool ExpandWithDescriptors(uint32_t pos, std::vector<std::pair<Script, std::string>>& out) const;

private:
    std::shared_ptr<const descriptor_detail::Node> m_root;
    ChainType m_chain;
};

/**
 * Parses `text`, with or without "#checksum" (require_checksum: without is
 * "Missing checksum"). Returns one descriptor, or several for a multipath
 * key ("<0;1>"), one per alternative; empty on error, with `error` set to
 * Bitcoin Core's message (it may be empty for trailing garbage, as Core's).
 */
std::vector<std::unique_ptr<Descriptor>> ParseDescriptor(std::string_view text, ChainType chain, std::string& error,
                                                         bool require_checksum = false);

/** The checksum of `text` (the part before any '#'), or "" if the checksum
 *  part is present but wrong or the text has invalid characters: Core's
 *  GetDescriptorChecksum, used by getdescriptorinfo. */
std::string GetDescriptorChecksum(std::string_view text);

} // namespace cairn

#endif

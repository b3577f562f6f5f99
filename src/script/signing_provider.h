// Where a signer finds what it needs to spend an output: private keys,
// public keys, the scripts behind script hashes, and how a taproot output
// key was made. The signer (sign.h) asks; callers decide what to hold (a
// list of keys from an RPC call, later the wallet's descriptors).
#ifndef CAIRN_SCRIPT_SIGNING_PROVIDER_H
#define CAIRN_SCRIPT_SIGNING_PROVIDER_H

#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "primitives/script.h"
#include "util/uint256.h"

#include <map>

namespace cairn {

/** How a taproot output key Q was built from an internal key P: Q = P +
 *  H_TapTweak(P || merkle_root)G, or H_TapTweak(P) alone when merkle_root
 *  is null (no script tree: BIP 86). */
struct TaprootSpendData {
    XOnlyPubKey internal_key;
    uint256 merkle_root;
};

/** Lookups by identifier. Key ids and script ids are Hash160s of the
 *  serialized public key or script (the P2PKH / P2SH hashes); a P2WSH
 *  witness script is found by its Hash160 too (RIPEMD160 of the program).
 *  Every lookup fails by default. */
class SigningProvider
{
public:
    virtual ~SigningProvider() = default;

    virtual bool GetKey(const uint160& key_id, Key& key) const;
    virtual bool GetPubKey(const uint160& key_id, PubKey& pubkey) const;
    virtual bool GetScript(const uint160& script_id, Script& script) const;
    virtual bool GetTaprootSpendData(const XOnlyPubKey& output_key, TaprootSpendData& data) const;

    /** The private key whose public key has this X coordinate (either Y). */
    bool GetKeyByXOnly(const XOnlyPubKey& pubkey, Key& key) const;
};

/** A provider that knows nothing: signing with it only rearranges
 *  signatures already present (combinerawtransaction). */
const SigningProvider& EmptySigningProvider();

/** Everything held in plain maps. */
class FlatSigningProvider : public SigningProvider
{
public:
    std::map<uint160, Key> keys;
    std::map<uint160, PubKey> pubkeys;
    std::map<uint160, Script> scripts;
    std::map<XOnlyPubKey, TaprootSpendData> taproot_spends;

    bool GetKey(const uint160& key_id, Key& key) const override;
    bool GetPubKey(const uint160& key_id, PubKey& pubkey) const override;
    bool GetScript(const uint160& script_id, Script& script) const override;
    bool GetTaprootSpendData(const XOnlyPubKey& output_key, TaprootSpendData& data) const override;

    /** Adds the key and its public key, under the public key's id. */
    void AddKey(const Key& key);
    /** Adds a redeem or witness script under its Hash160. */
    void AddScript(const Script& script);
    /** Records that the key-path-only (BIP 86) output of `key`'s x-only
     *  public key can be spent with `key`, and adds the key. Returns that
     *  output key. */
    XOnlyPubKey AddTaprootKeyPathOnly(const Key& key);
};

/** The key ids of the two compressed keys with this X coordinate (02 and 03). */
std::pair<uint160, uint160> XOnlyKeyIds(const XOnlyPubKey& pubkey);

} // namespace cairn

#endif

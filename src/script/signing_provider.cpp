#include "script/signing_provider.h"

#include "crypto/hash.h"

namespace cairn {

bool SigningProvider::GetKey(const uint160&, Key&) const { return false; }
bool SigningProvider::GetPubKey(const uint160&, PubKey&) const { return false; }
bool SigningProvider::GetScript(const uint160&, Script&) const { return false; }
bool SigningProvider::GetTaprootSpendData(const XOnlyPubKey&, TaprootSpendData&) const { return false; }

std::pair<uint160, uint160> XOnlyKeyIds(const XOnlyPubKey& pubkey)
{
    uint8_t ser[PubKey::COMPRESSED_SIZE];
    std::copy(pubkey.span().begin(), pubkey.span().end(), ser + 1);
    ser[0] = 0x02;
    const uint160 even = Hash160({ser, sizeof(ser)});
    ser[0] = 0x03;
    return {even, Hash160({ser, sizeof(ser)})};
}

bool SigningProvider::GetKeyByXOnly(const XOnlyPubKey& pubkey, Key& key) const
{
    const auto [even, odd] = XOnlyKeyIds(pubkey);
    return GetKey(even, key) || GetKey(odd, key);
}

const SigningProvider& EmptySigningProvider()
{
    static const SigningProvider empty;
    return empty;
}

namespace {

template <typename M, typename V>
bool Lookup(const M& map, const typename M::key_type& k, V& out)
{
    const auto it = map.find(k);
    if (it == map.end()) return false;
    out = it->second;
    return true;
}

} // namespace

bool FlatSigningProvider::GetKey(const uint160& key_id, Key& key) const { return Lookup(keys, key_id, key); }
bool FlatSigningProvider::GetPubKey(const uint160& key_id, PubKey& pubkey) const
{
    return Lookup(pubkeys, key_id, pubkey);
}
bool FlatSigningProvider::GetScript(const uint160& script_id, Script& script) const
{
    return Lookup(scripts, script_id, script);
}
bool FlatSigningProvider::GetTaprootSpendData(const XOnlyPubKey& output_key, TaprootSpendData& data) const
{
    return Lookup(taproot_spends, output_key, data);
}

void FlatSigningProvider::AddKey(const Key& key)
{
    const PubKey pubkey = key.GetPubKey();
    const uint160 id = pubkey.GetID();
    keys.insert_or_assign(id, key);
    pubkeys.insert_or_assign(id, pubkey);
}

void FlatSigningProvider::AddScript(const Script& script) { scripts.insert_or_assign(Hash160(script.span()), script); }

XOnlyPubKey FlatSigningProvider::AddTaprootKeyPathOnly(const Key& key)
{
    AddKey(key);
    const XOnlyPubKey internal = key.GetXOnlyPubKey();
    const auto tweaked = internal.CreateTapTweak(nullptr);
    if (!tweaked) return XOnlyPubKey();
    taproot_spends.insert_or_assign(tweaked->first, TaprootSpendData{internal, uint256()});
    return tweaked->first;
}

} // namespace cairn

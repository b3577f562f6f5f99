#include "consensus/script/sig_encoding.h"

#include "crypto/pubkey.h"

namespace cairn {

namespace {
bool SetError(ScriptError* error, ScriptError e)
{
    if (error) *error = e;
    return false;
}
} // namespace

bool IsValidSignatureEncoding(ByteSpan sig)
{
    // Shortest: 0x30 0x06 0x02 0x01 R 0x02 0x01 S hashtype; longest: 33-byte R and S.
    if (sig.size() < 9 || sig.size() > 73) return false;
    if (sig[0] != 0x30) return false;
    // The compound length covers everything but itself, the 0x30 and the hash type.
    if (sig[1] != sig.size() - 3) return false;
    const size_t len_r = sig[3];
    // S's length byte must lie inside the signature.
    if (5 + len_r >= sig.size()) return false;
    const size_t len_s = sig[5 + len_r];
    if (len_r + len_s + 7 != sig.size()) return false;

    if (sig[2] != 0x02) return false;
    if (len_r == 0) return false;
    if (sig[4] & 0x80) return false; // negative R
    // No padding zero unless the next byte would read as negative.
    if (len_r > 1 && sig[4] == 0x00 && !(sig[5] & 0x80)) return false;

    if (sig[len_r + 4] != 0x02) return false;
    if (len_s == 0) return false;
    if (sig[len_r + 6] & 0x80) return false; // negative S
    if (len_s > 1 && sig[len_r + 6] == 0x00 && !(sig[len_r + 7] & 0x80)) return false;
    return true;
}

bool IsDefinedHashtypeSignature(ByteSpan sig)
{
    if (sig.empty()) return false;
    const int base_type = sig.back() & ~SIGHASH_ANYONECANPAY;
    return base_type >= SIGHASH_ALL && base_type <= SIGHASH_SINGLE;
}

bool IsCompressedOrUncompressedPubKey(ByteSpan pubkey)
{
    if (pubkey.size() < 33) return false;
    if (pubkey[0] == 0x04) return pubkey.size() == 65;
    if (pubkey[0] == 0x02 || pubkey[0] == 0x03) return pubkey.size() == 33;
    return false;
}

bool IsCompressedPubKey(ByteSpan pubkey)
{
    return pubkey.size() == 33 && (pubkey[0] == 0x02 || pubkey[0] == 0x03);
}

bool CheckSignatureEncoding(ByteSpan sig, ScriptFlags flags, ScriptError* error)
{
    if (sig.empty()) return true;
    if ((flags & (SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_STRICTENC)) &&
        !IsValidSignatureEncoding(sig)) {
        return SetError(error, ScriptError::SIG_DER);
    }
    if ((flags & SCRIPT_VERIFY_LOW_S) && !PubKey::CheckLowS(sig.first(sig.size() - 1))) {
        return SetError(error, ScriptError::SIG_HIGH_S);
    }
    if ((flags & SCRIPT_VERIFY_STRICTENC) && !IsDefinedHashtypeSignature(sig)) {
        return SetError(error, ScriptError::SIG_HASHTYPE);
    }
    return true;
}

bool CheckPubKeyEncoding(ByteSpan pubkey, ScriptFlags flags, SigVersion sigversion, ScriptError* error)
{
    if ((flags & SCRIPT_VERIFY_STRICTENC) && !IsCompressedOrUncompressedPubKey(pubkey)) {
        return SetError(error, ScriptError::PUBKEYTYPE);
    }
    // BIP 143 policy: segwit v0 only takes compressed keys.
    if ((flags & SCRIPT_VERIFY_WITNESS_PUBKEYTYPE) && sigversion == SigVersion::WITNESS_V0 &&
        !IsCompressedPubKey(pubkey)) {
        return SetError(error, ScriptError::WITNESS_PUBKEYTYPE);
    }
    return true;
}

} // namespace cairn

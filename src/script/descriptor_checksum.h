// The BIP 380 checksum that output descriptors carry after a '#'. It is a
// BCH code over the descriptor's characters, so that a mistyped descriptor
// is caught before any funds are sent to what it describes.
#ifndef CAIRN_SCRIPT_DESCRIPTOR_CHECKSUM_H
#define CAIRN_SCRIPT_DESCRIPTOR_CHECKSUM_H

#include <string>
#include <string_view>

namespace cairn {

/**
 * The 8-character checksum of `desc` (the part before any '#'; pass it
 * without one). "" when `desc` holds a character outside the descriptor
 * character set (BIP 380's INPUT_CHARSET), since such a string cannot be a
 * descriptor.
 */
std::string DescriptorChecksum(std::string_view desc);

/** `desc` + "#" + its checksum; "" when it has no checksum. */
std::string AddDescriptorChecksum(std::string_view desc);

} // namespace cairn

#endif

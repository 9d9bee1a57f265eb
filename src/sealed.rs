//! Binary files that start with a magic string and end with an xxh3-64
//! checksum of everything before it (the NER model, the saved aliases), so
//! that a damaged or cut file is told apart from a file of another kind
//! and refused instead of read.

/// Why sealed bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// They do not start with the magic string.
    OtherKind,
    /// They are shorter than the shortest contents and the checksum.
    CutShort,
    /// The checksum does not match the contents.
    Checksum,
}

const CHECKSUM_BYTES: usize = 8;

/// Appends the checksum of `bytes` to them.
pub fn seal(bytes: &mut Vec<u8>) {
    let checksum = xxhash_rust::xxh3::xxh3_64(bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
}

/// The length of the contents of sealed `bytes` (all but the checksum),
/// once they are checked: they start with `magic`, hold at least
/// `min_contents` bytes before the checksum, and end with its checksum.
pub fn contents_len(bytes: &[u8], magic: &[u8], min_contents: usize) -> Result<usize, Refused> {
    if !bytes.starts_with(magic) {
        return Err(Refused::OtherKind);
    }
    if bytes.len() < min_contents.max(magic.len()) + CHECKSUM_BYTES {
        return Err(Refused::CutShort);
    }
    let (contents, checksum) = bytes.split_at(bytes.len() - CHECKSUM_BYTES);
    let mut stored = [0u8; CHECKSUM_BYTES];
    stored.copy_from_slice(checksum);
    if xxhash_rust::xxh3::xxh3_64(contents) != u64::from_le_bytes(stored) {
        return Err(Refused::Checksum);
    }
    Ok(contents.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_read_back_and_damage_is_told_apart() {
        let mut bytes = b"MAGICcontents".to_vec();
        seal(&mut bytes);
        assert_eq!(contents_len(&bytes, b"MAGIC", 5), Ok(13));
        assert_eq!(contents_len(&bytes, b"OTHER", 5), Err(Refused::OtherKind));
        assert_eq!(contents_len(&bytes, b"MAGIC", 6), Ok(13));
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(contents_len(cut, b"MAGIC", 5), Err(Refused::Checksum));
        assert_eq!(contents_len(cut, b"MAGIC", 13), Err(Refused::CutShort));
        assert_eq!(contents_len(b"MAG", b"MAGIC", 5), Err(Refused::OtherKind));
        let mut flipped = bytes.clone();
        flipped[7] ^= 1;
        assert_eq!(contents_len(&flipped, b"MAGIC", 5), Err(Refused::Checksum));
    }
}

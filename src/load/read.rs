//! The one way kdl reads an input file: entity files, `kdl.yaml`, the model
//! file, baselines, and the files it checks before replacing them.
//!
//! Every read is bounded and refuses anything that is not a regular file:
//! a FIFO, a device (`/dev/zero`, `/dev/stdin`), a socket or a directory is
//! reported, never read. The file is opened without blocking (opening a FIFO
//! for reading would otherwise wait for a writer forever), its type is
//! checked on the open handle (no race between the check and the read), and
//! at most `limit + 1` bytes are ever read, whatever size the file claims.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a bounded read returned nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not a regular file; `kind` names what it is (`fifo`, `directory`, …).
    NotRegular { kind: &'static str },
    /// Larger than the limit (`size` is at least `limit + 1`).
    TooLarge { size: u64, limit: u64 },
    /// The operating system's error (not found, permission denied, …).
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular { kind } => write!(f, "not a regular file ({kind})"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "{size} bytes, over the {limit}-byte limit")
            }
            ReadError::Io(e) => f.write_str(e),
        }
    }
}

impl ReadError {
    /// The error in the user's language.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (ReadError::NotRegular { kind }, Lang::Sv) => {
                format!("inte en vanlig fil ({})", crate::messages::kind_sv(kind))
            }
            (ReadError::TooLarge { size, limit }, Lang::Sv) => {
                format!("{size} byte, större än gränsen {limit} byte")
            }
            _ => self.to_string(),
        }
    }
}

/// What kind of file a metadata describes, in one word.
pub fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "fifo";
        }
        if ft.is_char_device() {
            return "character device";
        }
        if ft.is_block_device() {
            return "block device";
        }
        if ft.is_socket() {
            return "socket";
        }
    }
    if ft.is_dir() {
        "directory"
    } else if ft.is_symlink() {
        "symbolic link"
    } else if ft.is_file() {
        "file"
    } else {
        "special file"
    }
}

/// Opens `path` for reading without blocking (a FIFO opens at once) and
/// checks that it is a regular file.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    open_regular_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], and the size the file claims (from the same `fstat`).
fn open_regular_sized(path: &Path) -> Result<(File, u64), ReadError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(meta.file_type()),
        });
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, claimed) = open_regular_sized(path)?;
    if claimed > limit {
        return Err(ReadError::TooLarge {
            size: claimed,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(claimed as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads at most the first `n` bytes of a regular file.
pub fn read_head(path: &Path, n: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(n)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    Ok(bytes)
}

/// Reads a bounded regular file as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|_| ReadError::Io("not valid UTF-8".into()))
}

/// Writes `contents` to `path` (created or truncated) after checking that
/// whatever is there is a regular file: never blocks on a FIFO, never
/// replaces or writes into a device.
pub fn write_regular(path: &Path, contents: &[u8]) -> Result<(), ReadError> {
    check_output_target(path)?;
    std::fs::write(path, contents).map_err(|e| ReadError::Io(e.to_string()))
}

/// Whether an existing path may be replaced by an output file: it does not
/// exist, or it is a regular file (not a device, FIFO, socket or directory).
/// A symbolic link is judged by what it points to.
pub fn check_output_target(path: &Path) -> Result<bool, ReadError> {
    match std::fs::metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(true),
        Ok(m) => Err(ReadError::NotRegular {
            kind: kind_of(m.file_type()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ReadError::Io(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_read_refuses_large_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.yaml");
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(read_bounded(&f, 10).unwrap().len(), 10);
        assert_eq!(
            read_bounded(&f, 9),
            Err(ReadError::TooLarge { size: 10, limit: 9 })
        );
        assert_eq!(
            read_bounded(dir.path(), 9),
            Err(ReadError::NotRegular { kind: "directory" })
        );
        #[cfg(unix)]
        {
            assert_eq!(
                read_bounded(Path::new("/dev/zero"), 9),
                Err(ReadError::NotRegular {
                    kind: "character device"
                })
            );
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            // Returns at once (no writer), never blocks.
            assert_eq!(
                read_bounded(&fifo, 9),
                Err(ReadError::NotRegular { kind: "fifo" })
            );
            assert_eq!(
                check_output_target(&fifo),
                Err(ReadError::NotRegular { kind: "fifo" })
            );
        }
        assert_eq!(check_output_target(&f), Ok(true));
        assert_eq!(check_output_target(&dir.path().join("new")), Ok(false));
        assert_eq!(read_head(&f, 4).unwrap(), b"0123");
    }
}

//! WASI's `open-at` for reading, which never waits on what it opens.
//!
//! Opening a FIFO for reading blocks until a writer comes, and a call
//! blocked inside the host never reaches the epoch deadline. The component
//! refuses FIFOs by their directory entry before opening anything, but a
//! file can be swapped for a FIFO between the listing and the open. Here a
//! read-only open adds `O_NONBLOCK`: a FIFO opens at once, and reading it
//! fails (WASI reads at an offset, which a pipe refuses) instead of
//! waiting. On regular files and directories the flag changes nothing.
//!
//! The rest is as in wasmtime-wasi: paths resolve beneath the directory
//! through cap-primitives' `open` (wasmtime-wasi carries its own copy of
//! it), and the opened file becomes a directory or a file descriptor by its
//! type. Opens that could write go to wasmtime-wasi's own `open-at`, which
//! refuses them on the read-only preopens. (tests/tests/sandbox_abuse.rs)

use std::path::Path;

use cap_fs_ext::{FollowSymlinks, OpenOptionsFollowExt, OpenOptionsSyncExt};
use cap_primitives::fs::{Metadata, OpenOptions};
use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource};
use wasmtime_wasi::filesystem::{Descriptor, Dir, File, WasiFilesystemView};
use wasmtime_wasi::p2::bindings::filesystem::types::{
    DescriptorFlags, ErrorCode, Host, HostDescriptor, OpenFlags, PathFlags,
};
use wasmtime_wasi::{OpenMode, WasiView};

use super::readdir::FILESYSTEM_TYPES;
use super::sandbox::BLOCKING_IN_PLACE;

type OpenAt = (Resource<Descriptor>, PathFlags, String, OpenFlags, DescriptorFlags);

pub(crate) fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut types = linker.instance(FILESYSTEM_TYPES)?;
    types.func_wrap(
        "[method]descriptor.open-at",
        |mut store: StoreContextMut<'_, T>, (fd, path_flags, path, oflags, flags): OpenAt| {
            let mut view = store.data_mut().filesystem();
            if !reads_only(oflags, flags) {
                let opened = wasmtime_wasi::runtime::in_tokio(HostDescriptor::open_at(
                    &mut view, fd, path_flags, path, oflags, flags,
                ));
                return Ok((match opened {
                    Ok(opened) => Ok(opened),
                    Err(e) => Err(Host::convert_error_code(&mut view, e)?),
                },));
            }
            let opened = match view.table.get(&fd)? {
                Descriptor::Dir(dir) => open(dir, &path, path_flags, oflags),
                Descriptor::File(_) => Err(ErrorCode::NotDirectory),
            };
            Ok((match opened {
                Ok(descriptor) => Ok(view.table.push(descriptor)?),
                Err(code) => Err(code),
            },))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// An open that reads and nothing else: no creating, truncating, writing or
/// sync flags. (`directory` is a check, not a change; without `read`, a
/// descriptor opens for reading all the same, as in wasmtime-wasi.)
fn reads_only(oflags: OpenFlags, flags: DescriptorFlags) -> bool {
    oflags & !OpenFlags::DIRECTORY == OpenFlags::empty() && flags & !DescriptorFlags::READ == DescriptorFlags::empty()
}

fn open(dir: &Dir, path: &str, path_flags: PathFlags, oflags: OpenFlags) -> Result<Descriptor, ErrorCode> {
    let mut options = OpenOptions::new();
    options.read(true).nonblock(true).follow(if path_flags.contains(PathFlags::SYMLINK_FOLLOW) {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    });
    let file = cap_primitives::fs::open(&dir.dir, Path::new(path), &options)?;
    let is_dir = Metadata::from_file(&file)?.is_dir();
    if is_dir {
        Ok(Descriptor::Dir(Dir::new(file, dir.perms, OpenMode::READ, BLOCKING_IN_PLACE)))
    } else if oflags.contains(OpenFlags::DIRECTORY) {
        Err(ErrorCode::NotDirectory)
    } else {
        Ok(Descriptor::File(File::new(file, dir.perms, OpenMode::READ, BLOCKING_IN_PLACE)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_reads_are_answered_here() {
        assert!(reads_only(OpenFlags::empty(), DescriptorFlags::READ));
        assert!(reads_only(OpenFlags::DIRECTORY, DescriptorFlags::READ));
        assert!(reads_only(OpenFlags::empty(), DescriptorFlags::empty()));
        for oflags in [OpenFlags::CREATE, OpenFlags::TRUNCATE, OpenFlags::EXCLUSIVE | OpenFlags::DIRECTORY] {
            assert!(!reads_only(oflags, DescriptorFlags::READ), "{oflags:?}");
        }
        for flags in [
            DescriptorFlags::READ | DescriptorFlags::WRITE,
            DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY,
            DescriptorFlags::READ | DescriptorFlags::FILE_INTEGRITY_SYNC,
        ] {
            assert!(!reads_only(OpenFlags::empty(), flags), "{flags:?}");
        }
    }
}

package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
)

// Merge returns one read-only FS holding the files of all fss, so the whole app has a single
// Assets. Directories are merged; the same file name in two of them is an error that New reports.
func Merge(fss ...fs.FS) fs.FS { return union(fss) }

type union []fs.FS

// Open returns the file from the first FS that has it.
func (u union) Open(name string) (fs.File, error) {
	for _, f := range u {
		file, err := f.Open(name)
		if err == nil {
			return file, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadDir lists a directory across all FSs, refusing a file name that two of them hold.
func (u union) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	found := false
	for _, f := range u {
		entries, err := fs.ReadDir(f, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
		for _, e := range entries {
			if prev, ok := seen[e.Name()]; ok {
				if prev.IsDir() && e.IsDir() {
					continue
				}
				return nil, fmt.Errorf("%s/%s is in more than one static FS", name, e.Name())
			}
			seen[e.Name()] = e
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

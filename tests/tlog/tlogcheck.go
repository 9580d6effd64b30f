// tlogcheck verifies a C2SP tlog-tiles log with Go's golang.org/x/mod/sumdb/tlog and
// golang.org/x/mod/sumdb/note, an implementation independent of GSI's. It
//
//   - opens <base>/checkpoint with the log's verifier key (note.Open) and parses it
//     (origin, size, base64 root);
//   - reads hash tiles through tlog.TileHashReader, which checks every tile it loads
//     against the checkpoint's root;
//   - reads every entry bundle, hashes each entry (tlog.RecordHash) and compares it with
//     the level-0 hash the tiles prove;
//   - computes tlog.TreeHash of the whole tree and of older sizes, and builds and checks
//     inclusion proofs (ProveRecord/CheckRecord) and consistency proofs
//     (ProveTree/CheckTree) for spread indices and sizes.
//
// Usage: tlogcheck -vkey VKEY (-dir DIR | -url URL) [-proofs N]
// It prints "checks: N passed, M failed" and exits 1 when any failed.
//
// Go's sumdb names tiles "tile/8/<L>/<N>" and "tile/8/data/<N>"; tlog-tiles drops the
// height and calls data tiles "entries". tilePath maps one to the other.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

var (
	dir    = flag.String("dir", "", "directory holding the log")
	url    = flag.String("url", "", "http URL prefix of the log")
	vkey   = flag.String("vkey", "", "the log's verifier key")
	proofs = flag.Int("proofs", 200, "inclusion and consistency proofs to check")
	passed int
	failed int
)

func check(ok bool, format string, args ...interface{}) {
	if ok {
		passed++
		return
	}
	failed++
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
}

func fetch(path string) ([]byte, error) {
	if *dir != "" {
		return os.ReadFile(filepath.Join(*dir, filepath.FromSlash(path)))
	}
	resp, err := http.Get(strings.TrimRight(*url, "/") + "/" + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s: HTTP %d", path, resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// tilePath is the tlog-tiles path of a Go tile.
func tilePath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/"+strconv.Itoa(height)+"/")
	if t.L == -1 {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

type tileReader struct{ reads int }

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := fetch(tilePath(t))
		if err != nil {
			return nil, err
		}
		if len(data) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", tilePath(t), len(data), t.W*tlog.HashSize)
		}
		out[i] = data
		r.reads++
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// checkpoint opens and parses the signed checkpoint.
func checkpoint() (origin string, tree tlog.Tree, err error) {
	msg, err := fetch("checkpoint")
	if err != nil {
		return "", tree, err
	}
	v, err := note.NewVerifier(*vkey)
	if err != nil {
		return "", tree, err
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return "", tree, err
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 || lines[0] != v.Name() {
		return "", tree, errors.New("checkpoint: bad origin line")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 1 {
		return "", tree, fmt.Errorf("checkpoint: bad size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return "", tree, errors.New("checkpoint: bad root")
	}
	tree.N = size
	copy(tree.Hash[:], root)
	return lines[0], tree, nil
}

// entries reads every entry bundle and checks each entry's hash against the proven level-0
// hashes. It returns the leaf hashes.
func entries(tree tlog.Tree, hr tlog.HashReader) []tlog.Hash {
	leaves := make([]tlog.Hash, 0, tree.N)
	for start := int64(0); start < tree.N; start += 1 << height {
		t := tlog.TileForIndex(height, tlog.StoredHashIndex(0, start))
		t.L = -1
		t.W = 1 << height
		if tree.N-start < 1<<height {
			t.W = int(tree.N - start)
		}
		data, err := fetch(tilePath(t))
		if err != nil {
			check(false, "entry bundle %s: %v", tilePath(t), err)
			return nil
		}
		count := 0
		for len(data) > 0 {
			if len(data) < 2 || len(data) < 2+int(binary.BigEndian.Uint16(data)) {
				check(false, "%s: truncated", tilePath(t))
				return nil
			}
			n := int(binary.BigEndian.Uint16(data))
			leaves = append(leaves, tlog.RecordHash(data[2:2+n]))
			data = data[2+n:]
			count++
		}
		check(count == t.W, "%s: %d entries, want %d", tilePath(t), count, t.W)
	}
	if int64(len(leaves)) != tree.N {
		check(false, "%d entries, want %d", len(leaves), tree.N)
		return nil
	}
	idx := make([]int64, len(leaves))
	for i := range leaves {
		idx[i] = tlog.StoredHashIndex(0, int64(i))
	}
	proven, err := hr.ReadHashes(idx)
	check(err == nil, "reading the level-0 hashes through the tiles: %v", err)
	if err == nil {
		bad := 0
		for i := range leaves {
			if !bytes.Equal(leaves[i][:], proven[i][:]) {
				bad++
			}
		}
		check(bad == 0, "%d entries do not hash to their level-0 tile hash", bad)
	}
	return leaves
}

func proofsCheck(tree tlog.Tree, hr tlog.HashReader, leaves []tlog.Hash) {
	th, err := tlog.TreeHash(tree.N, hr)
	check(err == nil && th == tree.Hash, "TreeHash(%d) from tiles = checkpoint root: %v", tree.N, err)
	k := int64(*proofs)
	if k > tree.N {
		k = tree.N
	}
	for i := int64(0); i < k; i++ {
		// Spread indices: first, last and in between (a fixed stride, no randomness).
		n := i * (tree.N - 1) / maxInt(k-1, 1)
		p, err := tlog.ProveRecord(tree.N, n, hr)
		check(err == nil, "ProveRecord(%d, %d): %v", tree.N, n, err)
		if err == nil && leaves != nil {
			check(tlog.CheckRecord(p, tree.N, tree.Hash, n, leaves[n]) == nil,
				"CheckRecord(%d, %d)", tree.N, n)
			bad := leaves[n]
			bad[0] ^= 1
			check(tlog.CheckRecord(p, tree.N, tree.Hash, n, bad) != nil,
				"CheckRecord(%d, %d) accepts a wrong leaf", tree.N, n)
		}
		old := 1 + i*(tree.N-1)/maxInt(k-1, 1)
		oh, err := tlog.TreeHash(old, hr)
		check(err == nil, "TreeHash(%d): %v", old, err)
		tp, err := tlog.ProveTree(tree.N, old, hr)
		check(err == nil, "ProveTree(%d, %d): %v", tree.N, old, err)
		if err == nil {
			check(tlog.CheckTree(tp, tree.N, tree.Hash, old, oh) == nil,
				"CheckTree(%d, %d)", tree.N, old)
		}
	}
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func main() {
	flag.Parse()
	if *vkey == "" || (*dir == "") == (*url == "") {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck -vkey VKEY (-dir DIR | -url URL) [-proofs N]")
		os.Exit(2)
	}
	origin, tree, err := checkpoint()
	check(err == nil, "checkpoint: %v", err)
	if err == nil {
		tr := &tileReader{}
		hr := tlog.TileHashReader(tree, tr)
		leaves := entries(tree, hr)
		proofsCheck(tree, hr, leaves)
		fmt.Printf("tlogcheck: %s size %d, %d tiles read\n", origin, tree.N, tr.reads)
	}
	fmt.Printf("checks: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

package intent

import (
	"math"
	"slices"
)

// vocab maps feature hashes seen in training to columns, with their inverse document frequency.
// A vocabulary (rather than a fixed hash space) keeps the model as small as the data: Banking77
// keeps about 60k columns.
type vocab struct {
	index map[uint64]int32
	idf   []float32
	blk   []uint8
}

// sparse is one text's feature vector; idx is in no particular order.
type sparse struct {
	idx []int32
	val []float32
}

// buildVocab keeps the hashes found in at least minDF documents. idf = ln((1+N)/(1+df)) + 1.
func buildVocab(docs [][]uint64, minDF int) *vocab {
	df := make(map[uint64]int32, 1<<14)
	for _, d := range docs {
		for i, h := range d {
			if i == 0 || d[i-1] != h {
				df[h]++
			}
		}
	}
	keys := make([]uint64, 0, len(df))
	for h, n := range df {
		if int(n) >= minDF {
			keys = append(keys, h)
		}
	}
	slices.Sort(keys) // deterministic column order
	v := &vocab{index: make(map[uint64]int32, len(keys)), idf: make([]float32, len(keys)), blk: make([]uint8, len(keys))}
	n := float64(len(docs))
	for i, h := range keys {
		v.index[h] = int32(i)
		v.idf[i] = float32(math.Log((1+n)/(1+float64(df[h]))) + 1)
		v.blk[i] = uint8(block(h))
	}
	return v
}

// vector weighs the sorted hashes of one text: sublinear tf × idf, each block scaled to unit
// length, the character block then weighted by charWeight and the whole vector scaled to unit
// length. Hashes outside the vocabulary are dropped.
func (v *vocab) vector(hs []uint64, fc *featureConfig) sparse {
	charWeight := fc.charWeight
	var x sparse
	x.idx = make([]int32, 0, len(hs))
	x.val = make([]float32, 0, len(hs))
	var ss [2]float64
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		if c, ok := v.index[hs[i]]; ok {
			w := (1 + math.Log(float64(j-i))) * float64(v.idf[c])
			x.idx = append(x.idx, c)
			x.val = append(x.val, float32(w))
			ss[v.blk[c]] += w * w
		}
		i = j
	}
	var scale [2]float64
	total := 0.0
	for b, weight := range [2]float64{1, charWeight} {
		if ss[b] > 0 {
			scale[b] = weight / math.Sqrt(ss[b])
			total += weight * weight
		}
	}
	if total == 0 {
		return x
	}
	norm := 1 / math.Sqrt(total)
	for k, c := range x.idx {
		x.val[k] = float32(float64(x.val[k]) * scale[v.blk[c]] * norm)
	}
	return x
}

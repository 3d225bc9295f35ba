package kb

import "context"

// SearchRaw is Search without the calibration of the embedder's scale, for tests that show what
// calibration changes.
func SearchRaw(ctx context.Context, s *Store, q string, opt SearchOptions) ([]Result, error) {
	if opt.K <= 0 {
		opt.K = 5
	}
	cs, err := s.candidates(ctx, q, opt)
	if err != nil {
		return nil, err
	}
	if len(cs.chunks) == 0 {
		return []Result{}, nil
	}
	lm := s.modelFor(ctx, cs.generation, true).lang(opt.Language)
	articles := 0
	if lm != nil {
		articles = lm.articles
	}
	return cs.results(s.scoring, cosScale{}, lm.classify(q), articles, opt), nil
}

package evals

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const goodSuite = `name: returns-zh
language: zh
tags: [shipped]
cases:
  - name: casual return question
    tags: [faq]
    customer: {vip: false}
    turns:
      - user: 买的衣服不合适能退吗
        expect:
          intent: faq_returns
          answer_contains: ["7天"]
          answer_not_contains: 不能退
          cites: 7天无理由退货政策
          handoff: false
          kind: answer
    expect_end:
      resolved_by_bot: true
  - name: complaint
    language: en
    customer: {vip_tier: platinum}
    turns:
      - user: this is a disgrace
        expect:
          handoff: {reason: complaint, skill: after_sales, priority: 20}
      - user: hello?
        expect: {asks_for: order_id, slots: {order_id: A1234567}}
`

func TestParseSuite(t *testing.T) {
	s, err := ParseSuite("returns.yaml", []byte(goodSuite))
	require.NoError(t, err)
	require.Equal(t, "returns-zh", s.Name)
	require.Len(t, s.Cases, 2)
	c := s.Cases[0]
	require.Equal(t, 5, c.Line)
	require.Equal(t, "zh", c.Language, "the suite's language is the default")
	require.Equal(t, []string{"shipped", "faq"}, c.Tags, "suite tags come first")
	e := c.Turns[0].Expect
	require.Equal(t, 9, c.Turns[0].Line)
	require.Equal(t, []string{"7天"}, e.AnswerContains)
	require.Equal(t, []string{"不能退"}, e.AnswerNotContains, "a single string is a list of one")
	require.Equal(t, &HandoffExpect{Want: false}, e.Handoff)
	require.True(t, *c.ExpectEnd.ResolvedByBot)

	c2 := s.Cases[1]
	require.Equal(t, "en", c2.Language)
	require.Equal(t, "platinum", c2.Customer.Tier())
	require.Equal(t, "gold", (&Customer{VIP: true}).Tier())
	h := c2.Turns[0].Expect.Handoff
	require.True(t, h.Want, "the mapping form means a handoff")
	require.Equal(t, "complaint", h.Reason)
	require.Equal(t, "after_sales", h.Skill)
	require.Equal(t, 20, *h.Priority)
	require.Equal(t, map[string]string{"order_id": "A1234567"}, c2.Turns[1].Expect.Slots)
}

// Broken files are refused with the file, the line and what is wrong.
func TestParseSuiteErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unknown top-level key", "name: x\ncaes: []\n", 2, `unknown key "caes"`},
		{"unknown case key", "name: x\ncases:\n  - name: a\n    turn:\n      - user: hi\n", 4, `unknown key "turn"`},
		{"unknown expect key", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect:\n          intnet: greeting\n", 7, `unknown key "intnet"`},
		{"unknown handoff key", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect:\n          handoff: {reasn: vip}\n", 7, `unknown key "reasn" in handoff`},
		{"bad handoff scalar", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect:\n          handoff: maybe\n", 7, "handoff must be true, false or a mapping"},
		{"unknown reason", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect:\n          handoff: {reason: boredom}\n", 5, `handoff reason "boredom"`},
		{"unknown kind", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect: {kind: poem}\n", 5, `kind "poem"`},
		{"no name", "cases:\n  - name: a\n    turns:\n      - user: hi\n", 1, "needs a name"},
		{"no cases", "name: x\ncases: []\n", 2, "no cases"},
		{"case without turns", "name: x\ncases:\n  - name: a\n", 3, "has no turns"},
		{"empty user message", "name: x\ncases:\n  - name: a\n    turns:\n      - user: ''\n", 5, "needs a user message"},
		{"duplicate case", "name: x\ncases:\n  - name: a\n    turns: [{user: hi}]\n  - name: a\n    turns: [{user: hi}]\n", 5, `"a" is used twice (first at line 3)`},
		{"bad language", "name: x\nlanguage: fr\ncases:\n  - name: a\n    turns: [{user: hi}]\n", 2, "language must be zh or en"},
		{"bad yaml", "name: x\ncases:\n  - name: [a\n", 2, "did not find expected"},
		{"missing kb file", "name: x\nkb: nowhere.jsonl\ncases:\n  - name: a\n    turns: [{user: hi}]\n", 2, "knowledge base nowhere.jsonl"},
		{"wrong type", "name: x\ncases:\n  - name: a\n    turns:\n      - user: hi\n        expect:\n          slots: [a, b]\n", 7, "cannot unmarshal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSuite(filepath.Join(t.TempDir(), "s.yaml"), []byte(tc.src))
			require.Error(t, err)
			var se *SuiteError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tc.line, se.Line, err.Error())
			require.Contains(t, se.Msg, tc.msg)
			require.True(t, strings.HasSuffix(se.File, "s.yaml"))
		})
	}
}

// A folder is read recursively; every broken file is named, not only the first.
func TestLoadSuitesFolder(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(goodSuite), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "b.yml"), []byte("name: b\ncases:\n  - name: x\n    turns: [{user: hi}]\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a suite"), 0o600))
	suites, err := LoadSuites(dir)
	require.NoError(t, err)
	require.Len(t, suites, 2)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.yaml"), []byte("name: c\nbogus: 1\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.yaml"), []byte("name: b\ncases:\n  - name: x\n    turns: [{user: hi}]\n"), 0o600))
	_, err = LoadSuites(dir)
	require.ErrorContains(t, err, `c.yaml:2: unknown key "bogus"`)
	require.ErrorContains(t, err, `suite name "b" is also used by`)

	_, err = LoadSuites(t.TempDir())
	require.ErrorContains(t, err, "no *.yaml suite files")
}

// The shipped suites parse, and there are at least 150 cases in zh and en.
func TestShippedSuitesParse(t *testing.T) {
	suites, err := LoadSuites("suites")
	require.NoError(t, err)
	n, langs := 0, map[string]int{}
	for _, s := range suites {
		for _, c := range s.Cases {
			n++
			langs[c.Language]++
		}
	}
	require.GreaterOrEqual(t, n, 150)
	require.Greater(t, langs["zh"], 50)
	require.Greater(t, langs["en"], 50)
}

// The built-in suites a workbench run plays name their files as the repository does, so a report
// never cites the temporary copy they were read from.
func TestShippedSuitesCiteRepositoryPaths(t *testing.T) {
	suites, err := ShippedSuites()
	require.NoError(t, err)
	require.NotEmpty(t, suites)
	for _, s := range suites {
		require.Equal(t, "evals/suites/"+s.Name+".yaml", s.Path)
		_, err := os.Stat("../" + s.Path)
		require.NoError(t, err, "the cited file exists in the repository")
	}
}

// The JSON Schema in docs/ names exactly the keys the parser accepts, at every level.
func TestSchemaMatchesParser(t *testing.T) {
	b, err := os.ReadFile("../docs/eval-suite.schema.json")
	require.NoError(t, err)
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &schema))
	keys := func(m map[string]json.RawMessage) map[string]bool {
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		return out
	}
	require.Equal(t, yamlKeys(&Suite{}), keys(schema.Properties), "suite")
	require.Equal(t, yamlKeys(&Case{}), keys(schema.Defs["case"].Properties), "case")
	require.Equal(t, yamlKeys(&Turn{}), keys(schema.Defs["turn"].Properties), "turn")
	require.Equal(t, yamlKeys(&Expect{}), keys(schema.Defs["expect"].Properties), "expect")
	var caseProps map[string]struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	raw, _ := json.Marshal(schema.Defs["case"].Properties)
	require.NoError(t, json.Unmarshal(raw, &caseProps))
	require.Equal(t, yamlKeys(&Customer{}), keys(caseProps["customer"].Properties), "customer")
	require.Equal(t, yamlKeys(&EndExpect{}), keys(caseProps["expect_end"].Properties), "expect_end")
	var reasons struct {
		OneOf []struct {
			Properties struct {
				Reason struct {
					Enum []string `json:"enum"`
				} `json:"reason"`
			} `json:"properties"`
		} `json:"oneOf"`
	}
	require.NoError(t, json.Unmarshal(schema.Defs["expect"].Properties["handoff"], &reasons))
	require.Equal(t, HandoffReasons, reasons.OneOf[1].Properties.Reason.Enum)
}

package slots

import "testing"

func TestEmail(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindEmail}), testEnv(t), []extractCase{
		{"邮箱abc@qq.com谢谢", []string{"abc@qq.com"}, []string{"abc@qq.com"}},
		{"John.Smith@Example.COM", []string{"John.Smith@example.com"}, nil},
		{"ｍｙ ｅｍａｉｌ ａｂｃ＠ＱＱ．ｃｏｍ", []string{"abc@qq.com"}, []string{"ａｂｃ＠ＱＱ．ｃｏｍ"}},
		{"发到 zhang_san+shop@mail.163.com 吧", []string{"zhang_san+shop@mail.163.com"}, nil},
		{"a@b.co, c@d.org.cn", []string{"a@b.co", "c@d.org.cn"}, nil},
		{"email me at me@example.com.", []string{"me@example.com"}, []string{"me@example.com"}},
		{"邮箱 abc@qq", []string{"!email"}, nil},
		{"abc@@qq.com", []string{"!email"}, nil},
		{"me @ qq.com", []string{"!email"}, nil},
		{"a..b@x.com", []string{"!email"}, nil},
		{"x@-bad-.com", []string{"!email"}, nil},
		{"@张三 你好", nil, nil},
		{"没有邮箱", nil, nil},
	})
}

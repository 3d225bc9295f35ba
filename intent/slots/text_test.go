package slots

import "testing"

func TestText(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindText}), testEnv(t), []extractCase{
		{"新地址是 北京市朝阳区建国路88号 谢谢", []string{"北京市朝阳区建国路88号"}, nil},
		{"你好,我的新地址是上海市浦东新区世纪大道100号,谢谢啦", []string{"上海市浦东新区世纪大道100号"}, nil},
		{"地址:北京市海淀区中关村大街1号", []string{"北京市海淀区中关村大街1号"}, nil},
		{"改成北京市海淀区中关村大街1号", []string{"北京市海淀区中关村大街1号"}, nil},
		{"my new address is 1 Main St, Springfield. thanks!", []string{"1 Main St, Springfield"}, nil},
		{"Hi, the invoice title is ACME Ltd.", []string{"ACME Ltd"}, nil},
		{"because it's too small", []string{"too small"}, nil},
		{"因为尺码不合适", []string{"尺码不合适"}, nil},
		{"  收货地址：　广州市天河区体育西路１号  ", []string{"广州市天河区体育西路１号"}, []string{"广州市天河区体育西路１号"}},
		{"北京市朝阳区", []string{"北京市朝阳区"}, nil},
		{"Shanghai city", []string{"Shanghai city"}, nil},
		{"三里屯酒吧", []string{"三里屯酒吧"}, nil},
		{"No. 5 Elm St please, thx", []string{"No. 5 Elm St"}, nil},
		{"我想把地址改成 Room 5, 88 Jianguo Rd", []string{"Room 5, 88 Jianguo Rd"}, nil},
		{"Namecheap Ltd", []string{"Namecheap Ltd"}, nil},
		{"okinawa road 5", []string{"okinawa road 5"}, nil},
		{"问题很严重", []string{"问题很严重"}, nil},
		{"北京经济开发区", []string{"北京经济开发区"}, nil},
		{"OK, my address is 5 Elm St", []string{"5 Elm St"}, nil},
		{"谢谢", nil, nil},
		{"   ", nil, nil},
	})
}

func TestTextLengthAndPattern(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindText, MinLen: 5, MaxLen: 20}), testEnv(t), []extractCase{
		{"北京", []string{"!too_short"}, nil},
		{"地址是北京市朝阳区建国路88号", []string{"北京市朝阳区建国路88号"}, nil},
		{"北京市朝阳区建国路88号院3号楼2单元1001室靠近地铁站", []string{"!too_long"}, nil},
	})
	runCases(t, mustNew(t, Spec{Kind: KindText, Pattern: `[0-9A-Z]{18}`}), testEnv(t), []extractCase{
		{"税号是 91310000MA1FL8XQ30", []string{"91310000MA1FL8XQ30"}, nil},
		{"税号是 9131", []string{"!format"}, nil},
	})
}

package kb

// offTopic are general questions no help centre answers: weather, trivia, arithmetic, cooking,
// entertainment, chit-chat. The article classifier learns them as one more class, "none of the
// articles", so a question about the weather is not the likeliest of a shop's articles just
// because every other article is even less likely. They steer clear of money, shopping, delivery,
// accounts and every other subject a customer-service knowledge base might hold; they were written
// for this list, not taken from any evaluation set.
var offTopic = map[string][]string{
	"en": {
		"will it be sunny this afternoon", "how cold is it going to get tonight", "is there a storm coming this week",
		"what's the temperature outside right now", "how much is 12 times 13", "what is the square root of 144",
		"solve 2x minus 4 equals 10", "what's 7 plus 8", "who painted the mona lisa", "how tall is mount everest",
		"when did the second world war end", "what's the largest ocean on earth", "who invented the telephone",
		"how many planets are in the solar system", "what language do they speak in brazil",
		"how do I make pancakes from scratch", "what's a good recipe for chicken curry", "how long should I roast a turkey",
		"can you suggest a vegetarian dinner", "what should I cook tonight", "recommend a funny tv series",
		"who is the best singer of all time", "what's your favourite song", "suggest a novel to read on holiday",
		"who won the basketball game yesterday", "when is the next olympics", "how do I get better at chess",
		"tell me something interesting", "write a short story about a dragon", "compose a haiku about rain",
		"say something funny", "do you like music", "are you a real robot", "what's your name", "how old are you",
		"do you have feelings", "what do you dream about", "how do I stop snoring", "what helps with a headache",
		"how many hours of sleep do adults need", "is coffee bad for you", "how do I start running",
		"what's the best way to learn spanish", "translate thank you into french", "how do you say goodbye in german",
		"explain how photosynthesis works", "why do cats purr", "how far is mars from the sun", "what causes earthquakes",
		"how do airplanes stay in the air", "how do I write a for loop in python", "what is machine learning",
		"my laptop fan is loud what do I do", "how do I grow tomatoes on a balcony", "when should I plant tulips",
		"what's the best time to visit iceland", "how do I tie a tie", "how do I get rid of hiccups",
		"what's the meaning of my dream about falling", "who will win the election",
	},
	"zh": {
		"今天下午会出太阳吗", "今晚会降温吗", "这周有台风吗", "外面现在多少度", "十二乘十三是多少", "一百四十四的平方根是几",
		"二加三再乘以四等于几", "七加八等于多少", "蒙娜丽莎是谁画的", "珠穆朗玛峰有多高", "第二次世界大战哪年结束的",
		"地球上最大的海洋是哪个", "电话是谁发明的", "太阳系有几颗行星", "巴西人说什么语言", "鸡蛋饼怎么做",
		"可乐鸡翅的做法", "炖排骨要炖多久", "晚饭吃点什么好", "推荐一部好笑的电视剧", "谁是最好听的歌手",
		"你最喜欢什么歌", "推荐一本适合假期看的小说", "昨天的篮球比赛谁赢了", "下一届奥运会在哪里办", "怎么提高下棋水平",
		"说点有意思的事", "写一个关于龙的小故事", "写一首关于下雨的诗", "说个好玩的", "你喜欢听音乐吗", "你是真的机器人吗",
		"你叫什么名字", "你今年几岁", "你有感情吗", "晚上打呼噜怎么办", "头疼吃什么药好", "成年人每天要睡几个小时",
		"喝咖啡对身体不好吗", "怎么开始跑步锻炼", "怎么学好西班牙语", "谢谢用法语怎么说", "再见用德语怎么说",
		"光合作用是怎么回事", "猫为什么会打呼噜", "火星离太阳有多远", "地震是怎么产生的", "飞机为什么能飞起来",
		"python的for循环怎么写", "什么是机器学习", "电脑风扇声音很大怎么办", "阳台上怎么种西红柿", "郁金香什么时候种",
		"冰岛什么季节去最好", "领带怎么打", "打嗝停不下来怎么办", "梦见从高处掉下来是什么意思", "这次选举谁会赢",
		"宇宙有多大", "恐龙是怎么灭绝的",
	},
}

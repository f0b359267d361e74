"""The demo company's content, in English and Simplified Chinese."""

import datetime

HOME = {
    "en": {
        "title": "Cloudmist Tea",
        "hero_title": "Tea from the clouds, picked by hand",
        "hero_text": (
            "Small-batch green, white, black and pu'er teas from family gardens in "
            "the misty hills of Zhejiang and Yunnan."
        ),
        "hero_cta_text": "Discover our teas",
        "intro_heading": "From the garden to your cup in twenty days",
        "intro": (
            "<p>We buy directly from forty family gardens, pay above the market "
            "price, and ship every tea within three weeks of processing. No blends "
            "of unknown origin, no flavourings: just the leaf, and the story of the "
            "people who grew it.</p>"
        ),
        "quote": "Good tea tastes of the place it grew and the hands that made it.",
        "quote_by": "Lin Yue, founder",
    },
    "zh-hans": {
        "title": "云雾茶",
        "hero_title": "云雾之上，一芽一叶皆手采",
        "hero_text": "来自浙江、云南云雾山间家庭茶园的小批量绿茶、白茶、红茶与普洱。",
        "hero_cta_text": "探索我们的茶",
        "intro_heading": "从茶园到茶杯，只需二十天",
        "intro": (
            "<p>我们直接向四十家家庭茶园收购，价格高于市场价，每一款茶在制作完成后"
            "三周内发出。不拼配来源不明的茶，不加香精：只有茶叶本身，和种茶人的故事。</p>"
        ),
        "quote": "好茶的味道，是它生长的土地和制茶人的双手。",
        "quote_by": "林悦，创始人",
    },
}

SECTIONS = {
    "products": {
        "en": {
            "title": "Our teas",
            "intro": "Every tea is traceable to its garden and its harvest day.",
        },
        "zh-hans": {
            "title": "我们的茶",
            "intro": "每一款茶都可追溯到它的茶园和采摘日。",
        },
    },
    "news": {
        "en": {
            "title": "News",
            "intro": "Harvest reports, brewing guides and news from Cloudmist Tea.",
        },
        "zh-hans": {
            "title": "新闻",
            "intro": "采茶季报道、冲泡指南和云雾茶的最新消息。",
        },
    },
    "about": {
        "en": {
            "title": "About us",
            "intro": "A tea company founded by a tea-growing family, in 1998.",
            "body": (
                "<p>Cloudmist Tea began in 1998 when Lin Yue started selling her "
                "family's Longjing at a market stall in Hangzhou. Today we work with "
                "forty family gardens in Zhejiang and Yunnan, a small team of tasters, "
                "and a tea house on the shore of West Lake.</p><p>We publish what we "
                "pay our growers, we test every batch for residues in an independent "
                "laboratory, and we answer every message from our customers.</p>"
            ),
        },
        "zh-hans": {
            "title": "关于我们",
            "intro": "1998 年，由一个种茶世家创立的茶叶公司。",
            "body": (
                "<p>1998 年，林悦在杭州的一个集市摊位上开始售卖自家的龙井，云雾茶由此诞生。"
                "如今我们与浙江和云南的四十家家庭茶园合作，拥有一支小小的品鉴团队，"
                "以及一家位于西湖边的茶空间。</p><p>我们公开支付给茶农的价格，"
                "每一批茶都送独立实验室检测农残，并认真回复每一位顾客的留言。</p>"
            ),
        },
    },
    "contact": {
        "en": {
            "title": "Contact us",
            "intro": (
                "<p>Questions about an order, wholesale, or a visit to our gardens? "
                "Write to us: we answer within one working day.</p>"
            ),
            "thank_you_text": (
                "<p>Thank you for your message. We will answer within one working "
                "day.</p>"
            ),
        },
        "zh-hans": {
            "title": "联系我们",
            "intro": "<p>关于订单、批发合作或参观茶园的问题？请留言，我们会在一个工作日内回复。</p>",
            "thank_you_text": "<p>感谢您的留言，我们会在一个工作日内回复。</p>",
        },
    },
}

# Contact form fields: (field_type, English label, Chinese label, required,
# English choices, Chinese choices).
FORM_FIELDS = [
    ("singleline", "Your name", "您的姓名", True, "", ""),
    ("email", "E-mail address", "电子邮箱", True, "", ""),
    (
        "dropdown",
        "Topic",
        "主题",
        True,
        "An order\nWholesale\nVisiting a garden\nPress\nSomething else",
        "订单\n批发合作\n参观茶园\n媒体\n其他",
    ),
    ("multiline", "Message", "留言内容", True, "", ""),
    (
        "checkbox",
        "I agree that Cloudmist Tea may use my e-mail address to answer me.",
        "我同意云雾茶使用我的电子邮箱回复我。",
        True,
        "",
        "",
    ),
]

# (slug, tin colour, label colour, price, weight, en, zh)
PRODUCTS = [
    (
        "west-lake-longjing",
        (96, 140, 62),
        (244, 232, 200),
        "198.00",
        "100 g",
        {
            "title": "West Lake Longjing",
            "intro": "Flat, jade-green leaves with a toasted-chestnut sweetness.",
            "origin": "Meijiawu, Hangzhou, Zhejiang",
            "description": (
                "<p>Picked before Qingming from bushes on the slopes above West Lake "
                "and pan-fired by hand the same evening. Brew at 80 °C for a sweet, "
                "nutty cup with no bitterness.</p>"
            ),
        },
        {
            "title": "西湖龙井",
            "intro": "扁平挺秀、色泽翠绿，带有炒栗般的甜香。",
            "origin": "浙江杭州梅家坞",
            "description": (
                "<p>明前采自西湖边山坡上的茶树，当晚手工炒制。用 80°C 的水冲泡，"
                "茶汤甘甜、带坚果香，毫无苦涩。</p>"
            ),
        },
    ),
    (
        "anji-bai-cha",
        (160, 186, 120),
        (250, 250, 240),
        "168.00",
        "100 g",
        {
            "title": "Anji Bai Cha",
            "intro": "A rare pale-leaf green tea, rich in amino acids and umami.",
            "origin": "Anji, Zhejiang",
            "description": (
                "<p>The albino leaves of Anji's white tea cultivar are picked for only "
                "three weeks each spring. Their broth is brothy, sweet and very "
                "smooth.</p>"
            ),
        },
        {
            "title": "安吉白茶",
            "intro": "珍稀的白化绿茶，氨基酸含量高，鲜爽回甘。",
            "origin": "浙江安吉",
            "description": (
                "<p>安吉白茶的白化嫩叶每年春天只有三周可以采摘。茶汤鲜醇、甘甜，"
                "口感极为顺滑。</p>"
            ),
        },
    ),
    (
        "fengqing-dianhong",
        (150, 70, 40),
        (240, 210, 160),
        "128.00",
        "150 g",
        {
            "title": "Fengqing Dianhong",
            "intro": "Golden-tipped Yunnan black tea with notes of honey and cocoa.",
            "origin": "Fengqing, Lincang, Yunnan",
            "description": (
                "<p>Made from the large leaves of old Yunnan tea trees, rolled and "
                "oxidised slowly. Brew with boiling water, with or without milk.</p>"
            ),
        },
        {
            "title": "凤庆滇红",
            "intro": "金毫显露的云南红茶，带蜂蜜与可可香。",
            "origin": "云南临沧凤庆",
            "description": (
                "<p>选用云南古茶树的大叶，慢揉慢发酵。用沸水冲泡，加不加奶都好喝。</p>"
            ),
        },
    ),
    (
        "aged-puer-cake-2015",
        (90, 55, 40),
        (226, 200, 150),
        "368.00",
        "357 g",
        {
            "title": "Aged Pu'er Cake 2015",
            "intro": "A ten-year-old ripe pu'er: smooth, earthy and warming.",
            "origin": "Menghai, Xishuangbanna, Yunnan",
            "description": (
                "<p>Pressed in 2015 and aged in our dry Kunming store. Rinse once, "
                "then brew short infusions with boiling water; it gives ten cups or "
                "more.</p>"
            ),
        },
        {
            "title": "2015 陈年普洱饼",
            "intro": "十年陈的普洱熟茶：顺滑、醇厚、暖胃。",
            "origin": "云南西双版纳勐海",
            "description": (
                "<p>2015 年压制，存放于我们干燥的昆明仓库。洗茶一次后用沸水快出汤，"
                "可冲泡十泡以上。</p>"
            ),
        },
    ),
    (
        "jasmine-silver-needle",
        (120, 150, 170),
        (250, 245, 235),
        "158.00",
        "80 g",
        {
            "title": "Jasmine Silver Needle",
            "intro": "Downy white-tea buds scented seven times with fresh jasmine.",
            "origin": "Fuding, Fujian (partner garden)",
            "description": (
                "<p>Silver-needle buds are layered with jasmine flowers overnight, "
                "seven nights in a row, then the spent flowers are removed by hand. "
                "Floral, sweet and clean.</p>"
            ),
        },
        {
            "title": "茉莉银针",
            "intro": "满披白毫的芽头，以新鲜茉莉花七次窨制。",
            "origin": "福建福鼎（合作茶园）",
            "description": (
                "<p>银针芽头与茉莉花层层堆叠过夜，连续窨制七晚，再人工拣去花渣。"
                "花香馥郁，甘甜清爽。</p>"
            ),
        },
    ),
    (
        "osmanthus-oolong",
        (190, 140, 50),
        (255, 240, 205),
        "138.00",
        "100 g",
        {
            "title": "Osmanthus Oolong",
            "intro": "Rolled oolong with golden osmanthus blossoms from our village.",
            "origin": "Longquan, Zhejiang",
            "description": (
                "<p>A lightly oxidised oolong scented with osmanthus picked in "
                "September. Apricot and honey on the nose, creamy in the cup.</p>"
            ),
        },
        {
            "title": "桂花乌龙",
            "intro": "球形乌龙配上我们村里的金桂花。",
            "origin": "浙江龙泉",
            "description": (
                "<p>轻发酵乌龙，以九月采摘的桂花窨香。闻起来是杏子和蜂蜜，"
                "入口奶香顺滑。</p>"
            ),
        },
    ),
]

# (slug, date, tags en, tags zh, en, zh)
ARTICLES = [
    (
        "spring-harvest-2026",
        datetime.date(2026, 4, 2),
        ["harvest", "longjing"],
        ["采茶季", "龙井"],
        {
            "title": "Spring harvest 2026: the first Longjing is in",
            "author": "Lin Yue",
            "intro": (
                "A cool March gave us slow-growing buds and the sweetest pre-Qingming "
                "Longjing in years."
            ),
            "heading": "A slow spring",
            "body": (
                "<p>Night frosts in early March held the bushes back for ten days. "
                "The buds that followed were small and dense, and our tasters "
                "scored this year's first pick the highest since 2019.</p>"
            ),
            "quote": "You can taste the cold nights: it makes the tea sweeter.",
            "quote_by": "Master Chen, tea maker in Meijiawu",
        },
        {
            "title": "2026 春茶季：首批龙井到货",
            "author": "林悦",
            "intro": "凉爽的三月让茶芽生长缓慢，造就了多年来最甘甜的明前龙井。",
            "heading": "迟来的春天",
            "body": (
                "<p>三月初的夜间霜冻让茶树推迟了十天发芽。随后长出的芽头小而紧实，"
                "品鉴团队给今年头采打出了 2019 年以来的最高分。</p>"
            ),
            "quote": "你能喝出寒夜的味道：它让茶更甜。",
            "quote_by": "梅家坞制茶师傅 陈师傅",
        },
    ),
    (
        "brew-green-tea-without-bitterness",
        datetime.date(2026, 3, 18),
        ["brewing", "green tea"],
        ["冲泡", "绿茶"],
        {
            "title": "How to brew green tea without bitterness",
            "author": "Zhou Min",
            "intro": "Three things make green tea bitter: water too hot, too long, "
            "too much leaf. Here is how to avoid all three.",
            "heading": "Cool the water to 80 °C",
            "body": (
                "<p>Boil the water, then pour it into the pitcher and wait two "
                "minutes. Use 3 g of leaf for 150 ml, and pour off the first "
                "infusion after one minute. Add thirty seconds for each infusion "
                "after that.</p>"
            ),
            "quote": "Tea forgives a lot, but not boiling water on young buds.",
            "quote_by": "Zhou Min, head taster",
        },
        {
            "title": "如何冲泡不苦涩的绿茶",
            "author": "周敏",
            "intro": "绿茶变苦有三个原因：水太烫、泡太久、茶太多。教你一一避免。",
            "heading": "把水温降到 80°C",
            "body": (
                "<p>水烧开后倒入公道杯，静置两分钟。150 毫升水用 3 克茶叶，"
                "第一泡一分钟后出汤，之后每泡延长三十秒。</p>"
            ),
            "quote": "茶可以包容很多，但嫩芽受不了沸水。",
            "quote_by": "首席品鉴师 周敏",
        },
    ),
    (
        "meet-our-growers-in-anji",
        datetime.date(2026, 2, 26),
        ["growers", "anji"],
        ["茶农", "安吉"],
        {
            "title": "Meet our growers in Anji",
            "author": "Lin Yue",
            "intro": "The Wang family has grown white tea on the same hillside for "
            "four generations. We spent a day picking with them.",
            "heading": "Four generations on one hillside",
            "body": (
                "<p>Wang Jianguo's grandfather planted the first white-tea bushes "
                "here in the 1980s. Today his daughter runs the garden's online "
                "shop and films the harvest for their followers on Douyin.</p>"
            ),
            "quote": "We grow tea the way my grandfather did, and sell it the way "
            "my daughter does.",
            "quote_by": "Wang Jianguo",
        },
        {
            "title": "走近安吉的茶农",
            "author": "林悦",
            "intro": "王家四代人在同一片山坡上种植白茶。我们和他们一起采了一天茶。",
            "heading": "一片山坡，四代人",
            "body": (
                "<p>上世纪八十年代，王建国的祖父在这里种下了第一批白茶树。如今他的女儿"
                "经营茶园的网店，还在抖音上为粉丝直播采茶。</p>"
            ),
            "quote": "我们像爷爷那样种茶，像女儿这样卖茶。",
            "quote_by": "王建国",
        },
    ),
    (
        "new-recyclable-tin",
        datetime.date(2026, 1, 20),
        ["sustainability", "packaging"],
        ["可持续", "包装"],
        {
            "title": "Our new recyclable tin",
            "author": "Zhou Min",
            "intro": "From March, every tea ships in a steel tin with no plastic "
            "liner — and you can send it back for a refill discount.",
            "heading": "No plastic, same freshness",
            "body": (
                "<p>A food-grade paper seal replaces the plastic bag inside our tins. "
                "In six months of tests, the leaf stayed as fresh as before. Bring "
                "an empty tin to our tea house or post it back, and get 10% off "
                "your refill.</p>"
            ),
            "quote": "The best packaging is the one you use again.",
            "quote_by": "Our design team",
        },
        {
            "title": "全新可回收茶罐",
            "author": "周敏",
            "intro": "从三月起，所有茶叶都使用无塑料内衬的钢罐包装——寄回空罐还能享受续装优惠。",
            "heading": "零塑料，同样新鲜",
            "body": (
                "<p>罐内的塑料袋换成了食品级纸封。六个月的测试表明，茶叶的新鲜度丝毫不减。"
                "把空罐带到茶空间或寄回给我们，续装即享九折。</p>"
            ),
            "quote": "最好的包装，是能被再次使用的包装。",
            "quote_by": "设计团队",
        },
    ),
    (
        "mid-autumn-pairing-guide",
        datetime.date(2025, 9, 28),
        ["pairing", "festivals"],
        ["搭配", "节日"],
        {
            "title": "Tea and mooncakes: a Mid-Autumn pairing guide",
            "author": "Zhou Min",
            "intro": "Rich lotus-paste mooncakes need a tea that cuts through. Our "
            "tasters' five favourite pairings.",
            "heading": "Dark teas for rich fillings",
            "body": (
                "<p>With salted egg yolk and lotus paste, choose the 2015 pu'er. With "
                "five-kernel mooncakes, try the Fengqing Dianhong. For snow-skin "
                "mooncakes, the osmanthus oolong brings out the fruit.</p>"
            ),
            "quote": "A good pairing makes you want the next bite, and the next cup.",
            "quote_by": "Zhou Min",
        },
        {
            "title": "中秋月饼配什么茶",
            "author": "周敏",
            "intro": "浓郁的莲蓉月饼需要一款解腻的茶。品鉴师最爱的五种搭配。",
            "heading": "浓馅配深色茶",
            "body": (
                "<p>蛋黄莲蓉配 2015 年普洱；五仁月饼试试凤庆滇红；冰皮月饼则配桂花乌龙，"
                "更能衬托果香。</p>"
            ),
            "quote": "好的搭配，让人想吃下一口，再喝下一杯。",
            "quote_by": "周敏",
        },
    ),
    (
        "tea-house-opens-in-hangzhou",
        datetime.date(2025, 11, 8),
        ["events", "tea house"],
        ["活动", "茶空间"],
        {
            "title": "Our tea house opens on the shore of West Lake",
            "author": "Lin Yue",
            "intro": "Taste every tea we sell, join a brewing class, or just sit and "
            "watch the lake. Open every day from 10:00.",
            "heading": "Come and taste",
            "body": (
                "<p>The tea house has twenty seats, a tasting bar and a small garden. "
                "Brewing classes run every Saturday in English and Chinese; book "
                "through our contact page.</p>"
            ),
            "quote": "We wanted a place where people could meet the tea before "
            "they buy it.",
            "quote_by": "Lin Yue",
        },
        {
            "title": "云雾茶空间在西湖边开业",
            "author": "林悦",
            "intro": "品尝我们的每一款茶，参加冲泡课程，或只是坐下来看看湖。每天 10:00 开门。",
            "heading": "欢迎来品茶",
            "body": (
                "<p>茶空间有二十个座位、一个品鉴吧台和一个小花园。每周六有中英文冲泡课程，"
                "可通过联系页面预约。</p>"
            ),
            "quote": "我们想要一个地方，让人们在买茶之前先认识茶。",
            "quote_by": "林悦",
        },
    ),
]

# Sky top, sky bottom, hill colours (far to near) for the article pictures.
LANDSCAPES = [
    (
        (178, 205, 214),
        (240, 236, 222),
        [(150, 178, 160), (104, 145, 112), (58, 110, 74)],
    ),
    (
        (214, 196, 180),
        (246, 232, 210),
        [(170, 170, 150), (120, 140, 100), (74, 110, 66)],
    ),
    ((160, 186, 206), (226, 232, 236), [(140, 160, 170), (96, 130, 120), (50, 96, 70)]),
    (
        (224, 214, 190),
        (250, 244, 228),
        [(176, 180, 150), (128, 150, 104), (80, 120, 70)],
    ),
    ((120, 120, 160), (236, 196, 160), [(110, 110, 130), (80, 96, 100), (40, 70, 60)]),
    (
        (190, 212, 224),
        (248, 244, 236),
        [(160, 190, 176), (110, 156, 122), (62, 118, 82)],
    ),
]

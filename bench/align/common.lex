# common.lex - a small hand-written Chinese-English word list for the
# benchmark's "--lexicon" runs (written for tandem; MIT like the project).
# One "中文 @ english words" pair per line.
为什么 @ why
什么 @ what
怎么 @ how
如何 @ how
哪里 @ where
什么时候 @ when
谁 @ who
因为 @ because
所以 @ so
但是 @ but
如果 @ if
我们 @ we us our
你们 @ you your
他们 @ they them their
她 @ she her
他 @ he him his
公司 @ company companies business
企业 @ enterprise business
业务 @ business
模型 @ model models
算力 @ compute
计算 @ compute computing
芯片 @ chip chips
客户 @ customer customers
用户 @ user users consumer
员工 @ employees people
人 @ people person
文化 @ culture
安全 @ safety security safe
使命 @ mission
收入 @ revenue
钱 @ money
资金 @ capital money funding
投资 @ invest investment investor
投资者 @ investors
融资 @ raise raised funding
市场 @ market
产品 @ product products
研究 @ research
训练 @ training train
推理 @ inference reasoning
能力 @ capability capabilities ability
智能 @ intelligence
前沿 @ frontier
时间 @ time
年 @ year years
月 @ month months
周 @ week weeks
天 @ day days
今天 @ today
未来 @ future
过去 @ past
历史 @ history
世界 @ world
问题 @ question problem
答案 @ answer
想法 @ idea
决策 @ decision decisions
决定 @ decide decided decision
规划 @ plan planning
计划 @ plan
风险 @ risk
成本 @ cost
价格 @ price
效率 @ efficiency efficient
增长 @ growth grow
规模 @ scale
数据 @ data
代码 @ code coding
编程 @ coding programming
工程师 @ engineers engineer
团队 @ team
领导 @ leader leadership
董事会 @ board
政府 @ government
监管 @ regulation
网络 @ cyber network
电脑 @ computer
软件 @ software
工具 @ tool tools
平台 @ platform
合作 @ partner partnership collaborate
合作伙伴 @ partner partners
竞争 @ compete competition
书 @ book
学习 @ learn learning
教育 @ education
医疗 @ health healthcare
健康 @ health
家庭 @ family
孩子 @ kids children
朋友 @ friend friends
喜欢 @ like love
爱 @ love
重要 @ important
有趣 @ interesting
困难 @ hard difficult
容易 @ easy
简单 @ simple
快 @ fast quickly
慢 @ slow
大 @ big large
小 @ small
多 @ many more
少 @ less few
好 @ good
坏 @ bad
最好 @ best
谢谢 @ thank thanks
感谢 @ thank grateful
问 @ ask asked
说 @ say said
告诉 @ tell told
想 @ think want
认为 @ think believe
相信 @ believe
知道 @ know
理解 @ understand
看 @ see look
听 @ hear listen
买 @ buy bought
卖 @ sell
建 @ build
构建 @ build building
开始 @ start begin
结束 @ end
工作 @ work job
生活 @ life
世界 @ world
社会 @ society
经济 @ economy economic
美国 @ america american
中国 @ china chinese
欧洲 @ europe
音乐 @ music
笑 @ laugh

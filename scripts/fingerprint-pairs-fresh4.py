#!/usr/bin/env python3
"""Writes sources/fingerprint/testdata/pairs-fresh4.tsv: the fresh batch of
labelled pairs of issue 12, round 4, written after the round-3 test half
had been measured (and looked at) and before any rule or threshold was
changed again. Same design as scripts/fingerprint-pairs-fresh.py (round 3),
new entities and series.

Each cluster is one entity (person, organisation, programme, place, series)
in two events. Every event is told by three outlets in their own words
(wire agency, paper, broadcaster): the three versions of one event give the
'same' pairs, and three cross pairs (version i of event A against version i
of event B) give the hard negatives: same entity, different event.
"""
import sys

C = []
def cluster(name, a, b):
    assert len(a) == 3 and len(b) == 3, name
    C.append((name, a, b))


cluster("openai-altman",
 [("OpenAI fires Sam Altman as chief executive", "OpenAI's board removed Sam Altman as chief executive on Friday, saying he had not been consistently candid in his communications with directors."),
  ("Sam Altman ousted from OpenAI by board", "The ChatGPT maker said it had lost confidence in Altman's ability to lead, and named technology chief Mira Murati as interim boss."),
  ("OpenAI board pushes out Altman in shock move", "Sam Altman, the face of the generative AI boom, was forced out of the company he co-founded, OpenAI announced in a blog post.")],
 [("Sam Altman returns as OpenAI CEO", "Sam Altman will return as chief executive of OpenAI under a new board, the company said, days after he was dismissed."),
  ("Altman reinstated at OpenAI after staff revolt", "OpenAI reached an agreement in principle for Sam Altman to come back as CEO, after nearly all employees threatened to quit."),
  ("OpenAI brings back Altman with new board", "The AI company said Altman would be reinstated, with former Salesforce co-CEO Bret Taylor chairing a revamped board.")])

cluster("starmer-budget",
 [("Reeves raises taxes by £40bn in first Budget", "Chancellor Rachel Reeves announced £40bn of tax rises in Labour's first Budget for 14 years, including higher employer national insurance."),
  ("Budget 2024: Rachel Reeves unveils £40bn tax hike", "The chancellor told MPs the increases, the largest since 1993, were needed to fix the public finances and rebuild public services."),
  ("Labour's first Budget brings biggest tax rise in decades", "Employers will pay more national insurance under Rachel Reeves's plans, which raise £40bn a year by the end of the parliament.")],
 [("Reeves sets date for autumn Budget", "Chancellor Rachel Reeves will deliver her first Budget on 30 October, the Treasury said, as she warned of difficult decisions."),
  ("Budget to be held on October 30, Reeves announces", "The chancellor confirmed the date of Labour's first fiscal event in the Commons, saying a £22bn black hole must be filled."),
  ("Rachel Reeves confirms Budget date", "The first Labour Budget since 2010 will take place at the end of October, the chancellor told MPs.")])

cluster("spotify",
 [("Spotify to cut 17% of staff", "Spotify will lay off about 1,500 employees, or 17% of its workforce, chief executive Daniel Ek said on Monday, to cut costs."),
  ("Spotify announces third round of layoffs this year", "The music streaming company is shedding 1,500 jobs as Daniel Ek said economic growth had slowed dramatically."),
  ("Daniel Ek says Spotify will shed 1,500 jobs", "Spotify's founder told staff the cuts, affecting 17% of employees, were necessary to make the company profitable.")],
 [("Spotify raises subscription prices in US", "Spotify is raising the price of its premium subscription in the US by $1 to $11.99 a month, its second increase in less than a year."),
  ("Spotify hikes US Premium price to $11.99", "The streaming service said subscribers would pay a dollar more a month, citing investment in new features such as audiobooks."),
  ("Spotify subscribers in US to pay more", "Spotify confirmed another price rise for American premium users, taking the monthly cost to $11.99.")])

cluster("disney-iger",
 [("Disney names Josh D'Amaro as next chief executive", "Walt Disney named parks chief Josh D'Amaro as its next chief executive on Tuesday, ending a long search for Bob Iger's successor."),
  ("D'Amaro picked to succeed Iger at Disney", "Disney's board chose its theme parks boss to take over from Bob Iger, who will stay on as an adviser during the transition."),
  ("Disney parks boss chosen as Bob Iger's successor", "Josh D'Amaro will become Disney chief executive early next year, the company announced after a succession process.")],
 [("Disney settles Florida lawsuit with DeSantis allies", "Disney has settled its lawsuit against board members appointed by Florida Governor Ron DeSantis, ending a two-year legal fight."),
  ("Disney and DeSantis board reach settlement", "The entertainment company agreed to end litigation over the special district that governs Walt Disney World."),
  ("Disney ends legal battle with Florida's DeSantis", "Disney reached a deal with the DeSantis-appointed oversight board, dropping its federal appeal.")])

cluster("navalny",
 [("Alexei Navalny dies in Arctic prison, Russia says", "Russian opposition leader Alexei Navalny has died in an Arctic penal colony, the prison service said on Friday."),
  ("Putin critic Navalny dead at 47", "Alexei Navalny collapsed after a walk and lost consciousness, Russian prison authorities said, announcing the death of Vladimir Putin's fiercest critic."),
  ("Kremlin critic Alexei Navalny has died in jail", "The death of Navalny in a penal colony north of the Arctic Circle was announced by Russia's federal prison service.")],
 [("Navalny sentenced to 19 more years in prison", "A Russian court sentenced Alexei Navalny to 19 years in a special regime penal colony on extremism charges on Friday."),
  ("Russian court jails Navalny for 19 years", "Kremlin critic Alexei Navalny was given a new 19-year prison term in a trial held behind closed doors."),
  ("Navalny handed 19-year term on extremism charges", "Alexei Navalny's sentence was extended by 19 years, a move his supporters called politically motivated.")])

cluster("amazon",
 [("FTC sues Amazon over alleged monopoly", "The US Federal Trade Commission and 17 states sued Amazon on Tuesday, accusing the retailer of using its dominance to inflate prices."),
  ("Amazon hit with landmark antitrust lawsuit by FTC", "Lina Khan's FTC filed suit in Seattle, alleging Amazon punishes sellers who offer lower prices elsewhere."),
  ("US regulators take Amazon to court over market power", "The Federal Trade Commission launched legal action against Amazon, claiming it illegally maintains monopoly power.")],
 [("Amazon to pay $2.5bn to settle FTC Prime case", "Amazon agreed to pay $2.5bn to settle claims by the Federal Trade Commission that it tricked customers into signing up for Prime."),
  ("Amazon settles Prime subscription lawsuit for $2.5bn", "The record settlement with the FTC includes $1.5bn in refunds to Prime members, the regulator said."),
  ("FTC and Amazon reach $2.5bn Prime settlement", "Amazon will pay a $1bn civil penalty and refund customers over its Prime sign-up and cancellation process.")])

cluster("bank-of-england",
 [("Bank of England cuts interest rates to 5%", "The Bank of England cut interest rates for the first time since 2020 on Thursday, lowering Bank Rate by a quarter point to 5%."),
  ("BoE lowers rates in tight 5-4 vote", "Andrew Bailey said inflation pressures had eased enough to cut borrowing costs, though the Monetary Policy Committee was split."),
  ("First UK rate cut in four years as Bank trims to 5%", "Mortgage holders will welcome the Bank of England's decision to reduce rates from a 16-year high.")],
 [("Bank of England holds rates at 5.25%", "The Bank of England kept interest rates at 5.25% on Thursday for the seventh meeting in a row, despite inflation falling to 2%."),
  ("BoE keeps rates on hold ahead of election", "Andrew Bailey said the decision to leave Bank Rate unchanged was finely balanced, as the MPC voted 7-2."),
  ("UK interest rates unchanged at 16-year high", "Borrowers will have to wait for relief after the Bank of England held rates at 5.25%.")])

cluster("wildfire-la",
 [("Wildfire forces thousands to flee Pacific Palisades", "A fast-moving wildfire in the Pacific Palisades area of Los Angeles forced tens of thousands of people to evacuate on Tuesday, officials said."),
  ("Los Angeles fire spreads rapidly in high winds", "The Palisades fire grew to more than 2,900 acres within hours, driven by Santa Ana winds, fire officials said."),
  ("Evacuations ordered as blaze sweeps through LA hills", "Residents abandoned cars on Sunset Boulevard to escape a wildfire that tore through the Pacific Palisades neighbourhood.")],
 [("Palisades fire fully contained after 24 days", "Firefighters have fully contained the Palisades fire in Los Angeles, more than three weeks after it broke out, Cal Fire said."),
  ("LA's Palisades blaze 100% contained", "Cal Fire said the wildfire that destroyed thousands of homes was now completely contained, after heavy rain helped crews."),
  ("Firefighters contain Los Angeles Palisades fire", "The Palisades fire, one of the most destructive in California's history, was declared fully contained on Friday.")])

cluster("ryanair",
 [("Ryanair profits soar to record on high fares", "Ryanair reported record annual profits of €1.92bn on Monday as passenger numbers and fares rose, the airline said."),
  ("Ryanair posts record annual profit", "Europe's biggest airline by passengers said profits jumped 34% thanks to strong demand for summer travel."),
  ("O'Leary hails record year as Ryanair profit jumps", "Chief executive Michael O'Leary said Ryanair made a record profit as fares climbed 21%.")],
 [("Ryanair warns of lower summer fares as profit falls", "Ryanair said summer fares would be materially lower than last year, as first-quarter profits fell 46%, sending its shares down."),
  ("Ryanair profit slumps as fares drop", "The airline's quarterly profit nearly halved after it cut fares to fill seats, Michael O'Leary said."),
  ("Ryanair shares slide on weak fare outlook", "Ryanair warned that ticket prices over the summer would fall, after its profit dropped by almost half.")])

cluster("pope",
 [("Pope Francis admitted to hospital with bronchitis", "Pope Francis was admitted to Rome's Gemelli hospital on Friday for tests and treatment for bronchitis, the Vatican said."),
  ("Pope taken to Gemelli hospital for treatment", "The 88-year-old pontiff was admitted after a week of breathing difficulties, the Holy See press office said."),
  ("Vatican says Pope Francis hospitalised", "Francis went to hospital for tests after suffering bronchitis for several days, cancelling his engagements.")],
 [("Pope Francis discharged from hospital after five weeks", "Pope Francis left Rome's Gemelli hospital on Sunday after five weeks of treatment for double pneumonia, waving to crowds from a window."),
  ("Pope leaves hospital after pneumonia treatment", "Francis was discharged and returned to the Vatican, where doctors said he would need two months of rest."),
  ("Pope Francis returns to Vatican after hospital stay", "The pope, 88, was released from hospital after 38 days, his longest stay since becoming pontiff.")])

cluster("nato-sweden",
 [("Sweden formally joins Nato", "Sweden formally became Nato's 32nd member on Thursday, depositing its accession documents in Washington and ending two centuries of neutrality."),
  ("Sweden becomes Nato's 32nd member", "Prime Minister Ulf Kristersson handed over the documents to Antony Blinken, completing Sweden's membership of the alliance."),
  ("Nato welcomes Sweden as newest ally", "Sweden's entry into the military alliance was completed in a ceremony at the State Department.")],
 [("Hungary's parliament approves Sweden's Nato bid", "Hungary's parliament voted to ratify Sweden's membership of Nato on Monday, removing the last obstacle to its accession."),
  ("Hungary ratifies Swedish Nato membership", "Hungarian lawmakers backed Sweden's accession by 188 votes to six after 19 months of delay."),
  ("Last hurdle cleared as Hungary backs Sweden joining Nato", "Viktor Orban's governing party voted in favour, ending Budapest's long hold-out over Sweden's bid.")])

cluster("verstappen",
 [("Verstappen wins fourth world title in Las Vegas", "Max Verstappen clinched his fourth consecutive Formula 1 world championship by finishing fifth at the Las Vegas Grand Prix."),
  ("Max Verstappen crowned F1 champion again", "The Red Bull driver sealed the title with two races to spare, after George Russell won the race in Las Vegas."),
  ("Verstappen seals fourth straight championship", "Max Verstappen became a four-time world champion on the Las Vegas strip, joining a select group of drivers.")],
 [("Verstappen penalised for dangerous driving in Mexico", "Max Verstappen was given two 10-second penalties during the Mexico City Grand Prix for forcing Lando Norris off track."),
  ("Stewards hand Verstappen 20 seconds of penalties", "The Red Bull driver was punished twice for incidents with Lando Norris and finished sixth in Mexico City."),
  ("Verstappen punished for Norris clashes", "Max Verstappen received time penalties after two incidents with his title rival at the Mexican Grand Prix.")])

cluster("x-brazil",
 [("Brazil blocks X after Musk defies court", "Brazil began blocking access to Elon Musk's X on Saturday after the platform failed to name a legal representative, as ordered by a Supreme Court judge."),
  ("X suspended in Brazil in row with judge", "Justice Alexandre de Moraes ordered the suspension of X across Brazil, and internet providers started cutting access."),
  ("Brazilian users lose access to Musk's X", "X went dark in Brazil, one of its largest markets, after Elon Musk refused to comply with court orders.")],
 [("Brazil lifts ban on X after Musk complies", "Brazil's Supreme Court allowed X to resume operating in the country on Tuesday, after the company paid fines and named a legal representative."),
  ("X back online in Brazil after month-long suspension", "Justice Alexandre de Moraes authorised the platform's return after X met all his demands."),
  ("Judge allows Musk's X to return in Brazil", "The ban on Elon Musk's social network was lifted after it paid 28 million reais in fines.")])

cluster("rwanda",
 [("Rwanda bill becomes law after Lords standoff ends", "The UK's Safety of Rwanda bill became law after the House of Lords dropped its opposition, clearing the way for deportation flights."),
  ("Parliament passes Rwanda deportation bill", "Rishi Sunak's plan to send asylum seekers to Rwanda cleared parliament in the early hours of Tuesday after months of ping-pong."),
  ("Sunak's Rwanda law approved by peers", "The legislation declaring Rwanda a safe country was passed after the Lords gave way, with Sunak promising flights within 12 weeks.")],
 [("Starmer scraps Rwanda deportation plan", "Keir Starmer said the Rwanda deportation scheme was dead and buried on his first full day as prime minister."),
  ("Labour ditches Rwanda scheme", "The new government confirmed it would not go ahead with flights to Rwanda, calling the policy a gimmick."),
  ("Rwanda plan dead and buried, says Starmer", "The prime minister told a press conference he would not continue with the scheme to deport asylum seekers to Rwanda.")])

cluster("gaza-ceasefire",
 [("Israel and Hamas agree Gaza ceasefire deal", "Israel and Hamas agreed a ceasefire and hostage release deal on Wednesday after 15 months of war, mediators Qatar and the US said."),
  ("Gaza ceasefire agreed, Qatar announces", "Qatar's prime minister said the two sides had reached a deal that would pause fighting and free hostages in stages."),
  ("Hamas and Israel reach truce and hostage deal", "A ceasefire in Gaza will start on Sunday under the agreement, which includes the release of 33 hostages in the first phase.")],
 [("Gaza ceasefire collapses as Israel resumes strikes", "Israel launched heavy air strikes across Gaza on Tuesday, ending a two-month ceasefire, and health officials said hundreds were killed."),
  ("Israel ends Gaza truce with wave of air strikes", "The Israeli military said it had resumed combat operations after talks on extending the ceasefire stalled."),
  ("Truce in Gaza shattered by Israeli bombardment", "Israeli jets struck targets across the Gaza Strip, breaking the ceasefire that began in January.")])

cluster("taylor-swift",
 [("Taylor Swift's Vienna concerts cancelled over terror plot", "Organisers cancelled Taylor Swift's three concerts in Vienna after Austrian police arrested two men suspected of planning an attack."),
  ("Swift Vienna shows called off after attack plot uncovered", "Austrian authorities said a 19-year-old had planned an attack on the Eras Tour concerts at the Ernst Happel stadium."),
  ("Taylor Swift Eras Tour: Vienna dates scrapped over security threat", "Fans in Vienna were told the shows would not go ahead after police foiled a suspected Islamist plot.")],
 [("Taylor Swift's Eras Tour ends in Vancouver", "Taylor Swift played the final show of her Eras Tour in Vancouver on Sunday, closing a run of 149 concerts over almost two years."),
  ("Swift wraps record-breaking Eras Tour", "The final night in Vancouver capped a tour that grossed more than $2bn, the highest of all time."),
  ("Eras Tour comes to an end after 149 shows", "Taylor Swift thanked fans in Vancouver as her record-breaking world tour finished.")])

cluster("microsoft-activision",
 [("UK blocks Microsoft's takeover of Activision", "The UK's Competition and Markets Authority blocked Microsoft's $69bn takeover of Call of Duty maker Activision Blizzard over cloud gaming concerns."),
  ("CMA vetoes Microsoft-Activision deal", "Britain's competition regulator said the deal would harm competition in the cloud gaming market."),
  ("Microsoft's $69bn Activision deal blocked by UK regulator", "Microsoft said it would appeal after the CMA refused to approve the biggest deal in gaming history.")],
 [("Microsoft completes $69bn Activision takeover", "Microsoft completed its $69bn acquisition of Activision Blizzard on Friday, after the UK regulator cleared a restructured deal."),
  ("Microsoft closes Activision Blizzard deal", "The Xbox maker finalised the purchase of the Call of Duty publisher, the largest deal in the history of video games."),
  ("Activision now part of Microsoft after UK approval", "The acquisition closed hours after Britain's CMA approved the revised deal.")])

cluster("sudan",
 [("Sudan's army retakes presidential palace in Khartoum", "Sudan's army said on Friday it had recaptured the presidential palace in Khartoum from the Rapid Support Forces, nearly two years into the war."),
  ("Sudanese army recaptures Khartoum palace from RSF", "Soldiers were filmed celebrating inside the palace after the paramilitary group was driven out, the military said."),
  ("Army seizes back Sudan's presidential palace", "The Sudanese armed forces regained control of the palace, a major symbolic victory over the RSF.")],
 [("RSF declares rival government in Sudan", "Sudan's Rapid Support Forces and allies signed a charter in Nairobi to form a rival government in areas they control."),
  ("Sudan's paramilitary RSF sets up parallel government", "The group led by Mohamed Hamdan Dagalo said it would establish a government of peace and unity."),
  ("RSF signs charter for breakaway Sudan administration", "The paramilitary force announced plans for a rival administration, raising fears of partition.")])

cluster("crypto",
 [("Bitcoin tops $100,000 for first time", "Bitcoin rose above $100,000 for the first time on Thursday, as investors bet on friendlier crypto regulation under Donald Trump."),
  ("Bitcoin smashes through $100,000 mark", "The world's biggest cryptocurrency hit a record after Trump picked a crypto supporter to lead the Securities and Exchange Commission."),
  ("Bitcoin hits six figures as Trump rally continues", "Bitcoin climbed past $100,000, more than doubling this year, traders said.")],
 [("SEC approves first US bitcoin ETFs", "The US Securities and Exchange Commission approved the first exchange-traded funds that hold bitcoin on Wednesday, a milestone for the industry."),
  ("Spot bitcoin ETFs get SEC green light", "The regulator cleared 11 applications, including from BlackRock and Fidelity, to list funds tracking bitcoin."),
  ("US regulator approves bitcoin exchange-traded funds", "Gary Gensler's SEC gave the go-ahead to spot bitcoin ETFs after a decade of rejections.")])

cluster("assange",
 [("Julian Assange freed after plea deal with US", "WikiLeaks founder Julian Assange has been released from a British prison after agreeing to plead guilty to a single charge, ending a long legal saga."),
  ("Assange walks free from Belmarsh", "Julian Assange left the high-security prison and flew out of Britain after a deal with the US Justice Department, WikiLeaks said."),
  ("WikiLeaks founder released from UK prison", "Assange will plead guilty to conspiring to obtain and disclose national defence information in a court in Saipan.")],
 [("Assange wins right to appeal against US extradition", "Julian Assange won permission from the High Court in London to appeal against his extradition to the United States."),
  ("High Court grants Assange new appeal", "Judges ruled Assange could challenge the extradition order, saying US assurances on free speech were inadequate."),
  ("Assange allowed to challenge extradition to US", "The WikiLeaks founder can bring a full appeal, the High Court decided, in a victory for his supporters.")])

cluster("italy-meloni",
 [("Meloni and Starmer meet in Rome on migration", "Italian Prime Minister Giorgia Meloni hosted Keir Starmer in Rome on Monday for talks on illegal migration."),
  ("Starmer praises Italy's migration approach after Meloni talks", "The British prime minister said he was interested in Italy's deal with Albania during a visit to Rome."),
  ("Starmer visits Meloni to discuss small boats", "Keir Starmer met Giorgia Meloni at the Villa Doria Pamphilj to discuss how Italy cut arrivals by boat.")],
 [("Meloni meets Trump at Mar-a-Lago", "Italian Prime Minister Giorgia Meloni flew to Florida to meet President-elect Donald Trump at his Mar-a-Lago resort."),
  ("Trump hosts Italy's Meloni in Florida", "Donald Trump called Meloni a fantastic woman as he welcomed her to Mar-a-Lago for dinner."),
  ("Giorgia Meloni holds talks with Trump in Florida", "Meloni became one of the first European leaders to see Trump after his election, in a surprise trip.")])

cluster("ev-tariffs",
 [("EU imposes tariffs of up to 35% on Chinese electric cars", "The European Union will impose tariffs of up to 35.3% on electric vehicles made in China, after member states failed to block the plan."),
  ("Brussels confirms tariffs on Chinese EVs", "The European Commission said extra duties on Chinese-made electric cars would take effect on Wednesday, for five years."),
  ("EU slaps duties on electric vehicles from China", "Tariffs ranging from 7.8% for Tesla to 35.3% for SAIC will be added to the 10% duty on imported cars.")],
 [("China retaliates with tariffs on EU brandy", "China said it would impose temporary anti-dumping measures on brandy imported from the European Union, hitting French cognac makers."),
  ("Beijing targets French cognac in trade row", "Importers of EU brandy will have to pay deposits of up to 39%, China's commerce ministry said."),
  ("China hits European brandy with duties", "Shares in Remy Cointreau and Pernod Ricard fell after China announced measures against EU brandy.")])

cluster("champions-league",
 [("Real Madrid win Champions League for 15th time", "Real Madrid beat Borussia Dortmund 2-0 at Wembley to win the Champions League for a record-extending 15th time."),
  ("Carvajal and Vinicius fire Real Madrid to Champions League glory", "Goals from Dani Carvajal and Vinicius Jr gave Real a 2-0 win over Dortmund in the final in London."),
  ("Real beat Dortmund in Wembley final", "Carlo Ancelotti's side won Europe's top club prize again, in Toni Kroos's final club match.")],
 [("Real Madrid sign Kylian Mbappe", "Real Madrid have signed Kylian Mbappe on a five-year deal after his contract with Paris St-Germain expired."),
  ("Mbappe joins Real Madrid on free transfer", "The France captain completed his long-awaited move to the Bernabeu, where he will be unveiled next month."),
  ("Kylian Mbappe completes move to Real Madrid", "Real confirmed the arrival of Mbappe on a contract until 2029.")])

cluster("tiktok",
 [("US Supreme Court upholds TikTok ban", "The US Supreme Court upheld a law requiring TikTok to be sold by its Chinese owner or banned, ruling it did not violate free speech."),
  ("Supreme Court backs law forcing TikTok sale", "The justices unanimously rejected TikTok's challenge to the law, setting up a ban on Sunday unless ByteDance divests."),
  ("TikTok loses Supreme Court fight over US ban", "The court sided with the government, saying national security concerns justified the law targeting the app.")],
 [("TikTok goes dark in the United States", "TikTok stopped working for US users late on Saturday, hours before a federal ban took effect, displaying a message to users."),
  ("TikTok shuts down for 170 million American users", "Users opening the app saw a notice saying TikTok is not available right now, as the ban loomed."),
  ("TikTok app unavailable in US ahead of ban", "TikTok went offline across the United States and was removed from app stores.")])

cluster("greece-ferry",
 [("Greek court acquits coastguards over Pylos shipwreck", "A Greek court acquitted four coastguard officers over the 2023 shipwreck off Pylos, in which hundreds of migrants drowned."),
  ("Coastguard officers cleared over Pylos disaster", "Judges in Kalamata found the officers not guilty of negligence over the sinking of the Adriana."),
  ("Pylos shipwreck: Greek coastguards found not guilty", "Families of victims condemned the verdict clearing four officers over one of the Mediterranean's deadliest shipwrecks.")],
 [("Greek court charges coastguards over Pylos shipwreck", "A Greek naval court has charged 17 coastguard officers over the Pylos shipwreck, including the captain of the patrol boat."),
  ("Pylos shipwreck: 17 Greek coastguards charged", "Prosecutors brought charges including causing a shipwreck and failing to provide assistance, lawyers said."),
  ("Greek coastguard officers face charges over migrant boat sinking", "The investigation into the 2023 disaster led to charges against 17 members of the coastguard.")])

cluster("heatwave-europe",
 [("Greece closes Acropolis as heatwave hits 43C", "Greek authorities closed the Acropolis in the afternoons on Wednesday as temperatures reached 43C in Athens."),
  ("Acropolis shut during hottest hours of heatwave", "The ancient site was closed from noon to 5pm to protect tourists and workers from extreme heat, the culture ministry said."),
  ("Heatwave forces Acropolis closure in Athens", "Visitors were turned away from the Acropolis as Greece sweltered in 43C heat.")],
 [("Greece battles wildfires near Athens", "Hundreds of firefighters battled a wildfire on the outskirts of Athens on Sunday as thousands of residents were told to evacuate."),
  ("Wildfire on Athens outskirts forces evacuations", "A fire fanned by strong winds spread towards the suburbs north-east of the Greek capital, officials said."),
  ("Firefighters struggle to contain blaze near Athens", "Greece asked for European help as a wildfire burned out of control near Marathon.")])


cluster("musk-doge",
 [("Elon Musk to leave Doge role", "Elon Musk said he was leaving his role leading the Department of Government Efficiency, thanking Donald Trump for the opportunity to cut wasteful spending."),
  ("Musk steps down from Trump administration's cost-cutting team", "The billionaire announced on X that his time as a special government employee had come to an end."),
  ("Musk exits Doge after clash over Trump's spending bill", "Elon Musk's departure from the government efficiency drive came a day after he criticised the president's flagship bill.")],
 [("Trump names Musk to lead government efficiency drive", "President-elect Donald Trump said Elon Musk and Vivek Ramaswamy would lead a new Department of Government Efficiency."),
  ("Musk and Ramaswamy picked to head Trump's Doge", "Donald Trump chose the two businessmen to run an advisory body tasked with slashing federal bureaucracy."),
  ("Trump taps Elon Musk for cost-cutting role", "Elon Musk will co-lead the Department of Government Efficiency, Trump announced, alongside Vivek Ramaswamy.")])

cluster("syria-assad",
 [("Syrian rebels seize Damascus as Assad flees", "Syrian rebels declared on Sunday that they had taken Damascus and that President Bashar al-Assad had fled, ending five decades of his family's rule."),
  ("Assad regime falls as opposition fighters enter Damascus", "Rebel forces led by Hayat Tahrir al-Sham swept into the Syrian capital without meeting resistance, and Assad left the country."),
  ("Bashar al-Assad ousted after rebels take Syrian capital", "The Syrian president fled Damascus as rebels took control, state television announced, in a stunning end to his rule.")],
 [("Rebels capture Aleppo in lightning offensive", "Syrian rebels led by Hayat Tahrir al-Sham seized most of Aleppo, Syria's second city, in a surprise offensive against government forces."),
  ("Syrian opposition fighters take control of Aleppo", "Government troops withdrew from Aleppo as rebels stormed the city for the first time since 2016, a war monitor said."),
  ("Aleppo falls to rebels in major blow to Assad", "Rebel fighters overran Syria's second city within days, in the biggest challenge to Bashar al-Assad in years.")])

cluster("post-office",
 [("Post Office boss Nick Read to step down", "Post Office chief executive Nick Read will step down after an investigation into his conduct cleared him, the company said."),
  ("Nick Read quits as Post Office chief executive", "Nick Read is leaving the Post Office after five years in charge, months after giving evidence to the Horizon inquiry."),
  ("Post Office chief Read to leave role", "The head of the Post Office will stand down in the new year, the company confirmed.")],
 [("Post Office chief apologises at Horizon inquiry", "Post Office chief executive Nick Read apologised to sub-postmasters at the Horizon IT inquiry, saying the company had failed them."),
  ("Nick Read says sorry to wronged sub-postmasters", "The Post Office boss told the public inquiry he was deeply sorry for the suffering caused by the Horizon scandal."),
  ("Horizon inquiry hears apology from Post Office boss", "Nick Read said he was ashamed of the way sub-postmasters had been treated.")])

cluster("sam-bankman-fried",
 [("Sam Bankman-Fried found guilty of fraud", "A New York jury found FTX founder Sam Bankman-Fried guilty on all seven counts of fraud and conspiracy on Thursday."),
  ("FTX founder convicted of stealing billions from customers", "Sam Bankman-Fried was convicted after a month-long trial in which former colleagues testified against him."),
  ("Jury convicts Bankman-Fried on all counts", "The former crypto billionaire faces decades in prison after jurors deliberated for less than five hours.")],
 [("Sam Bankman-Fried sentenced to 25 years in prison", "FTX founder Sam Bankman-Fried was sentenced to 25 years in prison on Thursday for stealing $8bn from customers."),
  ("Bankman-Fried jailed for 25 years over FTX collapse", "A judge in Manhattan said Bankman-Fried had shown no remorse as he handed down the sentence."),
  ("FTX's Bankman-Fried gets 25-year sentence", "The former crypto mogul was also ordered to forfeit $11bn by Judge Lewis Kaplan.")])

cluster("greenpeace",
 [("Greenpeace ordered to pay $660m to pipeline company", "A North Dakota jury ordered Greenpeace to pay more than $660m in damages to Energy Transfer over protests against the Dakota Access pipeline."),
  ("Jury finds Greenpeace liable in Dakota Access case", "Greenpeace must pay Energy Transfer hundreds of millions of dollars for defamation and trespass, the jury decided."),
  ("Greenpeace hit with $660m damages over pipeline protests", "The environmental group said the verdict could bankrupt its US operations and vowed to appeal.")],
 [("Greenpeace sues Energy Transfer in Dutch court", "Greenpeace International has sued Energy Transfer in the Netherlands, accusing the pipeline company of using lawsuits to silence critics."),
  ("Greenpeace files anti-Slapp lawsuit in Amsterdam", "The campaign group took legal action against the Dakota Access pipeline operator under new EU rules against intimidation suits."),
  ("Greenpeace takes pipeline firm to court in Netherlands", "Greenpeace is seeking damages from Energy Transfer in Amsterdam over what it calls an abusive lawsuit.")])

# Templated series: every two items are a 'different' pair.
S = []
def series(name, items):
    S.append((name, items))

series("wall-street", [
  ("Wall Street closes higher as tech stocks rebound", "The S&P 500 rose 1.1% and the Nasdaq gained 1.6% on Monday as investors bought back into chipmakers after last week's sell-off."),
  ("Wall Street ends lower after hot inflation data", "US stocks fell on Wednesday, with the S&P 500 down 0.8%, after consumer prices rose more than expected in March."),
  ("Wall Street closes at record as Fed cut bets grow", "The Dow Jones and S&P 500 finished at all-time highs on Friday after weak jobs data raised hopes of a rate cut in September."),
  ("Wall Street little changed ahead of Nvidia results", "US shares drifted on Tuesday as traders waited for quarterly earnings from Nvidia after the close.")])
series("bbc-weather", [
  ("Storm Darragh: red warning for wind in Wales", "The Met Office issued a rare red warning for wind in parts of Wales and south-west England for Saturday, with gusts of up to 90mph."),
  ("Storm Bert: amber warnings for snow in Scotland", "Heavy snow is expected across parts of Scotland on Saturday as Storm Bert arrives, with amber warnings in place."),
  ("Storm Ashley: yellow wind warnings for Northern Ireland", "Storm Ashley, the first named storm of the season, will bring gusts of up to 80mph to Northern Ireland on Sunday."),
  ("Storm Eowyn: red warning for Northern Ireland and Scotland", "A red warning has been issued for Storm Eowyn on Friday, with gusts of up to 100mph possible.")])
series("nfl", [
  ("Chiefs beat Eagles 38-35 to win Super Bowl", "Harrison Butker's late field goal gave the Kansas City Chiefs a 38-35 victory over the Philadelphia Eagles in the Super Bowl in Arizona."),
  ("Chiefs beat 49ers 25-22 in overtime to win Super Bowl", "Patrick Mahomes threw a touchdown pass in overtime as Kansas City beat San Francisco in Las Vegas to retain the title."),
  ("Eagles beat Chiefs 40-22 to win Super Bowl", "Philadelphia denied Kansas City a third straight title with a dominant 40-22 victory in New Orleans."),
  ("Chiefs beat Bills 32-29 to reach Super Bowl", "Kansas City edged Buffalo in the AFC Championship game to reach a fifth Super Bowl in six seasons.")])
series("gaza-live", [
  ("Israel-Gaza war: list of key events, day 300", "Israel's military said it had killed Hamas's military chief Mohammed Deif in a strike in July, as talks on a ceasefire continued in Doha."),
  ("Israel-Gaza war: list of key events, day 301", "Iran vowed to punish Israel after the killing of Hamas leader Ismail Haniyeh in Tehran, as the US sent more warships to the region."),
  ("Israel-Gaza war: list of key events, day 302", "Hezbollah fired rockets at northern Israel, while Gaza's health ministry said strikes on two schools killed dozens."),
  ("Israel-Gaza war: list of key events, day 303", "Hamas named Yahya Sinwar as its new political leader, replacing Ismail Haniyeh, while mediators urged a return to talks.")])
series("trump-meets", [
  ("Trump meets Zelensky at White House", "Donald Trump hosted Volodymyr Zelensky in the Oval Office for talks on a minerals deal, which ended in a shouting match."),
  ("Trump meets Starmer at White House", "Keir Starmer delivered a letter from King Charles inviting Donald Trump on a state visit, during talks in the Oval Office."),
  ("Trump meets Macron at White House", "Emmanuel Macron corrected Donald Trump on European aid to Ukraine during a press conference at the White House."),
  ("Trump meets Netanyahu at White House", "Benjamin Netanyahu became the first foreign leader to visit Trump's second White House, where Trump proposed taking over Gaza.")])
series("jobs-report", [
  ("US economy adds 272,000 jobs in May", "US employers added 272,000 jobs in May, far more than expected, while the unemployment rate rose to 4%, the Labor Department said."),
  ("US economy adds 114,000 jobs in July", "Hiring slowed sharply in July as employers added 114,000 jobs and unemployment rose to 4.3%, the highest in nearly three years."),
  ("US economy adds 254,000 jobs in September", "The US added 254,000 jobs in September, beating forecasts, and the unemployment rate fell to 4.1%."),
  ("US economy adds 12,000 jobs in October", "Job growth stalled in October at 12,000, held down by hurricanes and the Boeing strike, the Labor Department said.")])
series("nobel", [
  ("Nobel prize in physics awarded for machine learning work", "John Hopfield and Geoffrey Hinton won the Nobel prize in physics for discoveries that enable machine learning with artificial neural networks."),
  ("Nobel prize in chemistry awarded for protein design", "David Baker, Demis Hassabis and John Jumper won the Nobel prize in chemistry for work on computational protein design and structure prediction."),
  ("Nobel peace prize awarded to Nihon Hidankyo", "The Japanese organisation of atomic bomb survivors won the Nobel peace prize for its efforts to achieve a world free of nuclear weapons."),
  ("Nobel prize in literature awarded to Han Kang", "South Korean author Han Kang won the Nobel prize in literature for her intense poetic prose.")])

def row(label, a, b):
    for s in (*a, *b):
        assert "\t" not in s and "\n" not in s
    return "\t".join((label, a[0], a[1], b[0], b[1]))

out = ["# label\ttitle_a\tlead_a\ttitle_b\tlead_b",
       "# Fresh batch (issue 12, round 4), written by scripts/fingerprint-pairs-fresh4.py after the round-3",
       "# test half was measured and before any rule was changed again. Each cluster: one entity in two",
       "# events, each in three outlets' words; 'same' = two versions of one event, 'different' = same",
       "# entity, different event."]
for name, a, b in C:
    out.append(f"# {name}")
    for ev in (a, b):
        for i, j in ((0, 1), (0, 2), (1, 2)):
            out.append(row("same", ev[i], ev[j]))
    for i in range(3):
        out.append(row("different", a[i], b[(i + 1) % 3]))
for name, items in S:
    out.append(f"# series: {name}")
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            out.append(row("different", items[i], items[j]))
sys.stdout.write("\n".join(out) + "\n")

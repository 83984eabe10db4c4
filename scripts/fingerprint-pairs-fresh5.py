#!/usr/bin/env python3
"""Writes sources/fingerprint/testdata/pairs-fresh5.tsv: the fresh batch of
labelled pairs of issue 12, round 5, written after the round-4 test half
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



cluster("twitter-ceo",
 [("Linda Yaccarino resigns as X chief executive", "Linda Yaccarino said on Wednesday she was stepping down as chief executive of X after two years running Elon Musk's social media platform."),
  ("X CEO Yaccarino quits after two years", "Linda Yaccarino announced her departure from X in a post on the platform, thanking Elon Musk for the opportunity."),
  ("Yaccarino steps down as head of Musk's X", "The former NBCUniversal advertising chief is leaving X, a day after its Grok chatbot posted antisemitic content.")],
 [("Musk hires NBCUniversal's Linda Yaccarino to run Twitter", "Elon Musk said on Friday that NBCUniversal advertising chief Linda Yaccarino would become the new chief executive of Twitter."),
  ("Twitter names Yaccarino as new CEO", "Linda Yaccarino will lead Twitter, focusing on business operations, while Musk concentrates on product design, he said."),
  ("Elon Musk picks advertising executive Yaccarino as Twitter boss", "Musk confirmed that Linda Yaccarino, a veteran of NBCUniversal, would take over as chief executive of Twitter in six weeks.")])

cluster("hs2",
 [("Sunak scraps northern leg of HS2", "Rishi Sunak confirmed on Wednesday that the HS2 high-speed rail line from Birmingham to Manchester had been cancelled, at the Conservative conference."),
  ("HS2 Manchester leg axed by prime minister", "The prime minister said the £36bn saved would be spent on hundreds of other transport projects in the north and Midlands."),
  ("Sunak cancels HS2 link to Manchester", "In his conference speech, Rishi Sunak ended plans to extend the high-speed line north of Birmingham.")],
 [("HS2 costs could reach £100bn, report warns", "The cost of HS2 could exceed £100bn, a report by the rail line's new chief executive has warned, blaming poor management."),
  ("HS2 budget soars as boss admits failures", "The high-speed railway's chief executive said the project had been poorly run and its cost would rise sharply."),
  ("New HS2 chief warns of spiralling costs", "Mark Wild told the transport secretary that HS2 could not be built within its current budget.")])

cluster("boeing-starliner",
 [("Boeing Starliner returns to Earth without its crew", "Boeing's Starliner capsule landed in New Mexico without its two astronauts on Saturday, after Nasa decided it was too risky to fly them home."),
  ("Empty Starliner lands in New Mexico desert", "The troubled Boeing spacecraft touched down at White Sands after undocking from the space station, leaving Butch Wilmore and Suni Williams behind."),
  ("Starliner capsule lands safely without astronauts", "Nasa said Boeing's spacecraft made a safe parachute landing, while its crew will return on a SpaceX capsule next year.")],
 [("Stranded Starliner astronauts finally return to Earth", "Nasa astronauts Butch Wilmore and Suni Williams splashed down off Florida on Tuesday aboard a SpaceX capsule, nine months after launching on Boeing's Starliner."),
  ("Wilmore and Williams home after nine months in space", "The two astronauts whose eight-day mission was extended returned in a SpaceX Dragon capsule, splashing down in the Gulf of Mexico."),
  ("SpaceX brings stuck Nasa astronauts back home", "Suni Williams and Butch Wilmore ended their unexpectedly long stay on the space station with a splashdown off Tallahassee.")])

cluster("credit-suisse",
 [("UBS agrees to buy Credit Suisse in rescue deal", "UBS agreed on Sunday to buy Credit Suisse for 3bn Swiss francs in a deal brokered by the Swiss government to avert a banking crisis."),
  ("Credit Suisse taken over by UBS in emergency deal", "Switzerland's biggest bank will acquire its troubled rival in a state-backed rescue, the Swiss National Bank said."),
  ("UBS rescues Credit Suisse for $3.2bn", "The all-share takeover, announced by Swiss President Alain Berset, ends Credit Suisse's 167-year history as an independent bank.")],
 [("Credit Suisse shares plunge to record low", "Shares in Credit Suisse fell as much as 30% on Wednesday to a record low after its biggest investor ruled out providing more money."),
  ("Credit Suisse stock crashes as Saudi backer refuses more help", "The chairman of Saudi National Bank said it would not invest more in Credit Suisse, sending the shares tumbling."),
  ("Credit Suisse slumps 24% amid banking fears", "The Swiss lender's shares hit an all-time low as concerns about the banking sector spread after the collapse of Silicon Valley Bank.")])

cluster("nhs-strike",
 [("Junior doctors in England begin five-day strike", "Junior doctors in England walked out on Thursday for five days in a dispute over pay, the longest strike in NHS history."),
  ("Junior doctors walk out in longest NHS strike", "Thousands of junior doctors began a five-day stoppage at 7am, with hospitals warning of disruption to planned care."),
  ("Five-day junior doctors' strike starts in England", "The BMA said its members had been left with no choice but to strike, as the walkout began in hospitals across England.")],
 [("Junior doctors accept pay deal, ending strikes", "Junior doctors in England have voted to accept a government pay offer worth 22% over two years, ending their long-running dispute."),
  ("BMA members back offer to end junior doctors' dispute", "Two-thirds of junior doctors who voted supported the deal, the British Medical Association said."),
  ("Junior doctors vote to end strikes with 22% pay rise", "The offer from the Labour government was accepted, bringing an end to 11 rounds of walkouts.")])

cluster("ryder-cup",
 [("Europe win Ryder Cup in Rome", "Europe regained the Ryder Cup with a 16.5-11.5 victory over the United States at Marco Simone in Rome on Sunday."),
  ("Europe reclaim Ryder Cup from USA", "Tommy Fleetwood's win secured the point that won back the trophy for Luke Donald's team in Italy."),
  ("Donald's Europe beat US to lift Ryder Cup", "Europe held off a US fightback on the final day to win the Ryder Cup by five points.")],
 [("Luke Donald named Europe's Ryder Cup captain again", "Luke Donald will captain Europe again at the 2025 Ryder Cup in New York, Ryder Cup Europe announced on Tuesday."),
  ("Donald to lead Europe at Bethpage", "Europe have reappointed Luke Donald as captain for the defence of the trophy in the United States."),
  ("Ryder Cup Europe reappoints Luke Donald as captain", "Luke Donald becomes the first European captain since Bernard Gallacher to lead the side twice in a row.")])

cluster("uaw",
 [("UAW launches strike at three Detroit car plants", "The United Auto Workers union went on strike at three plants of GM, Ford and Stellantis at midnight on Friday, after contract talks failed."),
  ("US auto workers strike Ford, GM and Stellantis", "About 13,000 workers walked off the job in the first simultaneous strike against all three Detroit carmakers."),
  ("Historic walkout hits all three Detroit automakers", "UAW president Shawn Fain said the union was targeting one plant at each company in a new strike strategy.")],
 [("UAW reaches tentative deal with Ford", "The United Auto Workers union reached a tentative agreement with Ford on Wednesday, with a 25% wage rise over four years."),
  ("Ford and auto workers' union agree deal to end strike", "Ford workers will return to their jobs after the company and the UAW agreed terms including a 25% pay rise."),
  ("UAW and Ford strike tentative agreement", "Shawn Fain called the deal a historic victory as Ford became the first carmaker to settle with the union.")])

cluster("wagner",
 [("Wagner chief Prigozhin killed in plane crash, Russia says", "Wagner mercenary leader Yevgeny Prigozhin was on a plane that crashed north of Moscow, killing all ten people on board, Russia's aviation agency said."),
  ("Prigozhin dead after jet crashes near Moscow", "Russian authorities said the Wagner boss was on the passenger list of the Embraer jet that went down in Tver region."),
  ("Wagner leader Prigozhin dies in air crash", "Yevgeny Prigozhin, who led a mutiny against Russia's military leadership in June, was killed when his plane crashed.")],
 [("Wagner fighters halt march on Moscow", "Wagner leader Yevgeny Prigozhin said on Saturday his fighters were turning back from their march on Moscow, to avoid bloodshed."),
  ("Prigozhin calls off mutiny under Belarus-brokered deal", "The Wagner chief agreed to leave for Belarus and his fighters retreated, ending the armed rebellion."),
  ("Wagner turns back from Moscow as rebellion ends", "Prigozhin's forces stood down hours after they had advanced towards the capital.")])

cluster("evergrande",
 [("Hong Kong court orders Evergrande to liquidate", "A Hong Kong court on Monday ordered the liquidation of China Evergrande Group, the world's most indebted property developer."),
  ("Evergrande ordered to be wound up", "Judge Linda Chan said it was time for the court to say enough is enough as she ordered the winding-up of the Chinese developer."),
  ("Judge orders liquidation of China's Evergrande", "The ruling is the latest blow to China's property sector, with Evergrande owing more than $300bn.")],
 [("Evergrande founder Hui Ka Yan detained", "China Evergrande founder Hui Ka Yan has been placed under police control on suspicion of illegal crimes, the company said."),
  ("Evergrande chairman held by Chinese police", "Hui Ka Yan, once Asia's richest man, is under residential surveillance, the developer told the Hong Kong exchange."),
  ("Evergrande boss under police surveillance", "Shares in Evergrande were suspended after its founder was put under police control.")])

cluster("bank-japan",
 [("Bank of Japan ends negative interest rates", "The Bank of Japan raised interest rates for the first time in 17 years on Tuesday, ending the world's last negative interest rate policy."),
  ("BoJ hikes rates for first time since 2007", "Japan's central bank lifted its short-term rate to a range of 0% to 0.1%, ending eight years of negative rates."),
  ("Japan scraps negative interest rate policy", "Governor Kazuo Ueda said wage growth had made it possible to exit the unconventional policy.")],
 [("Bank of Japan holds rates, yen weakens", "The Bank of Japan kept interest rates unchanged on Friday, sending the yen to a new 34-year low against the dollar."),
  ("BoJ leaves rates on hold as yen slides", "Japan's central bank made no change to policy, and Governor Ueda gave no signal of an imminent hike."),
  ("Yen falls after Bank of Japan keeps policy steady", "The yen weakened past 156 per dollar after the BoJ held its key rate.")])

cluster("ticketmaster",
 [("US sues Live Nation to break up Ticketmaster", "The US Justice Department sued Live Nation on Thursday, seeking to break up its Ticketmaster business over an alleged monopoly."),
  ("Justice Department files antitrust lawsuit against Live Nation", "Attorney General Merrick Garland said Live Nation's dominance drove up ticket prices for fans."),
  ("DOJ seeks Ticketmaster break-up in lawsuit", "Live Nation and Ticketmaster face a federal antitrust case brought with 30 states.")],
 [("Ticketmaster confirms data breach", "Ticketmaster has confirmed a data breach affecting customers, after hackers claimed to have stolen the personal details of 560 million users."),
  ("Hackers steal Ticketmaster customer data", "Live Nation said it had found unauthorised activity on a third-party cloud database containing Ticketmaster data."),
  ("Ticketmaster hit by cyber attack, Live Nation says", "The company told regulators that customer information had been compromised.")])

cluster("harris-walz",
 [("Kamala Harris picks Tim Walz as running mate", "Vice President Kamala Harris chose Minnesota Governor Tim Walz as her running mate on Tuesday, her campaign said."),
  ("Harris names Minnesota governor Walz as vice-presidential pick", "Tim Walz, a former teacher and National Guard veteran, will join the Democratic ticket."),
  ("Tim Walz chosen as Harris's running mate", "Kamala Harris selected the Minnesota governor over Pennsylvania's Josh Shapiro, people familiar with the decision said.")],
 [("Walz and Vance clash in vice-presidential debate", "Tim Walz and JD Vance clashed over abortion, immigration and the economy in the only vice-presidential debate on Tuesday night."),
  ("Vance and Walz trade blows in VP debate", "The running mates debated in New York in a largely civil encounter that grew heated over the 2020 election."),
  ("Vice-presidential debate: Walz and Vance spar on abortion", "JD Vance and Tim Walz met on the debate stage in Manhattan for 90 minutes.")])

cluster("france-election",
 [("Macron calls snap election after European vote defeat", "French President Emmanuel Macron dissolved parliament and called a snap election on Sunday after his party was beaten by the far right in the European elections."),
  ("Macron dissolves National Assembly", "Emmanuel Macron announced a parliamentary election for June 30 after Marine Le Pen's National Rally won the European vote in France."),
  ("French president stuns country with snap poll", "Macron said he could not ignore the result of the European elections, calling a vote in three weeks.")],
 [("Left-wing alliance wins most seats in French election", "France's left-wing New Popular Front won the most seats in the parliamentary election on Sunday, beating the far right into third place."),
  ("Far right beaten into third as left tops French vote", "The National Rally fell short of a majority, with the left alliance taking the most seats in a hung parliament."),
  ("France votes: left-wing bloc comes first", "Projections showed the New Popular Front winning the largest number of seats, ahead of Macron's centrists.")])

cluster("houthis",
 [("US and UK strike Houthi targets in Yemen", "US and British forces carried out strikes against Houthi targets in Yemen overnight, in response to attacks on Red Sea shipping."),
  ("American and British jets bomb Houthi sites", "The strikes hit radar, missile and drone sites used by the Iran-backed group, the Pentagon said."),
  ("Houthis hit by US-UK air strikes over Red Sea attacks", "Rishi Sunak said the strikes were limited and necessary, after repeated Houthi attacks on merchant ships.")],
 [("Houthis seize cargo ship in Red Sea", "Yemen's Houthi rebels seized a cargo ship in the southern Red Sea on Sunday, taking its 25 crew hostage, Israel said."),
  ("Houthi rebels hijack Galaxy Leader vessel", "The group landed a helicopter on the ship's deck and took control of it, a video released by the Houthis showed."),
  ("Yemen's Houthis capture ship linked to Israeli businessman", "The Galaxy Leader car carrier was taken to a Yemeni port after being seized.")])

cluster("glastonbury",
 [("Glastonbury 2025 headliners announced", "Glastonbury has announced its 2025 headliners, with The 1975, Neil Young and Olivia Rodrigo topping the bill on the Pyramid Stage."),
  ("Olivia Rodrigo and Neil Young to headline Glastonbury", "Emily Eavis revealed the line-up for next year's festival, with The 1975 closing the Friday night."),
  ("Glastonbury reveals Pyramid Stage headliners", "The 1975, Neil Young and Olivia Rodrigo will headline Glastonbury Festival in June.")],
 [("Glastonbury tickets sell out in 35 minutes", "Tickets for Glastonbury sold out in 35 minutes on Sunday morning, with thousands of fans missing out."),
  ("Glastonbury sells out in record time", "All general admission tickets for the festival were gone within 35 minutes, organisers said."),
  ("Fans disappointed as Glastonbury tickets vanish", "The festival sold out in just over half an hour, leaving many fans empty-handed.")])

cluster("apple-vision",
 [("Apple launches Vision Pro headset in US", "Apple's Vision Pro mixed-reality headset went on sale in the US on Friday, priced at $3,499, its first major new product in years."),
  ("Vision Pro goes on sale in Apple stores", "Customers queued outside Apple's Fifth Avenue store for the headset, which Tim Cook called the start of spatial computing."),
  ("Apple's $3,499 Vision Pro hits shelves", "The mixed-reality headset became available in the United States, with Apple hoping to create a new category.")],
 [("Apple halts production of Vision Pro", "Apple has stopped producing its Vision Pro headset after weak demand, according to reports from its supply chain."),
  ("Apple pauses Vision Pro manufacturing amid weak sales", "The company has told suppliers to wind down output of the expensive headset, analysts said."),
  ("Vision Pro production wound down by Apple", "Apple has ended manufacturing of the current Vision Pro, people familiar with the matter said.")])

cluster("un-gutteres",
 [("Israel bars UN chief Guterres from entering country", "Israel declared UN Secretary-General Antonio Guterres persona non grata on Wednesday, barring him from entering the country."),
  ("Guterres banned from Israel over Iran response", "Israel's foreign minister said the UN chief had failed to condemn Iran's missile attack unequivocally."),
  ("Israel declares Guterres persona non grata", "Antonio Guterres will not be allowed to enter Israel, foreign minister Israel Katz said.")],
 [("Guterres visits Rafah crossing, calls for ceasefire", "UN Secretary-General Antonio Guterres visited the Rafah crossing on the Egypt-Gaza border on Saturday and called for an immediate ceasefire."),
  ("UN chief tours Rafah border, urges aid into Gaza", "Antonio Guterres said the trucks waiting at Rafah should be allowed into Gaza."),
  ("Guterres at Rafah: 'Gaza needs aid now'", "The UN secretary-general spoke from the Egyptian side of the crossing.")])

cluster("chess",
 [("Gukesh becomes youngest world chess champion", "India's Gukesh Dommaraju became the youngest undisputed world chess champion on Thursday, beating China's Ding Liren in the final game in Singapore."),
  ("Gukesh beats Ding to win world chess title at 18", "The Indian grandmaster took the title after Ding blundered in the 14th game."),
  ("Indian teenager Gukesh crowned chess world champion", "Gukesh won the world championship match in Singapore 7.5-6.5.")],
 [("Magnus Carlsen quits world rapid championship over jeans", "Magnus Carlsen withdrew from the World Rapid and Blitz Championships after being fined for wearing jeans, Fide said."),
  ("Carlsen leaves tournament after dress code row", "The world number one refused to change out of his jeans and was not paired for the next round."),
  ("Carlsen pulls out of world championship in jeans dispute", "The Norwegian said he would not play after Fide fined him $200.")])

cluster("thailand",
 [("Thai court removes Prime Minister Srettha", "Thailand's Constitutional Court removed Prime Minister Srettha Thavisin from office on Wednesday for appointing a cabinet minister who had served jail time."),
  ("Srettha dismissed as Thai prime minister", "The court ruled 5-4 that Srettha had violated ethics rules, plunging Thai politics into fresh uncertainty."),
  ("Thailand's PM ousted by Constitutional Court", "Srettha Thavisin was forced out after less than a year in office.")],
 [("Paetongtarn Shinawatra elected Thailand's prime minister", "Thailand's parliament elected Paetongtarn Shinawatra as prime minister on Friday, the youngest to hold the post."),
  ("Thaksin's daughter becomes Thai PM", "Paetongtarn, 37, won a parliamentary vote two days after the court removed Srettha."),
  ("Thai parliament picks Paetongtarn as prime minister", "Paetongtarn Shinawatra became the third member of her family to lead Thailand.")])

cluster("heathrow",
 [("Heathrow shut after fire at electricity substation", "Heathrow Airport closed for the whole of Friday after a fire at a nearby electricity substation cut power, disrupting more than 1,300 flights."),
  ("Heathrow closes as substation blaze cuts power", "A fire in Hayes knocked out electricity to Europe's busiest airport, which said it would remain closed all day."),
  ("Fire at power station shuts Heathrow", "Flights were diverted and cancelled after a substation fire left Heathrow without power.")],
 [("Heathrow third runway backed by government", "Chancellor Rachel Reeves said the government backed a third runway at Heathrow, arguing it would boost growth."),
  ("Reeves gives green light to Heathrow expansion", "The chancellor announced support for a third runway in a speech on growth."),
  ("Government supports new Heathrow runway", "Rachel Reeves said a third runway at Heathrow was badly needed.")])

cluster("panama",
 [("Trump threatens to take back Panama Canal", "Donald Trump threatened to demand the return of the Panama Canal to US control, accusing Panama of charging excessive fees."),
  ("Trump says US could reclaim Panama Canal", "The president-elect said the waterway should be returned if Panama did not lower fees for American ships."),
  ("Panama rejects Trump's canal threat", "Panama's president said every square metre of the canal belonged to Panama, after Trump's remarks.")],
 [("CK Hutchison sells Panama Canal ports to BlackRock group", "Hong Kong's CK Hutchison agreed to sell its ports at both ends of the Panama Canal to a group led by BlackRock for $22.8bn."),
  ("BlackRock consortium buys Panama Canal ports", "The deal gives a US-led group control of the Balboa and Cristobal ports."),
  ("CK Hutchison agrees $22.8bn ports deal", "The sale includes 43 ports in 23 countries, the company said.")])

cluster("south-africa-election",
 [("ANC loses majority in South Africa election", "The ANC lost its parliamentary majority for the first time since the end of apartheid, final results showed on Sunday."),
  ("South Africa's ANC falls short of majority", "The party of Nelson Mandela won 40% of the vote, forcing it to seek a coalition."),
  ("ANC support collapses in landmark vote", "South Africa's governing party took about 40% in the general election, down from 57% in 2019.")],
 [("Ramaphosa re-elected South African president", "Cyril Ramaphosa was re-elected president of South Africa by parliament on Friday, after the ANC agreed a coalition deal with the Democratic Alliance."),
  ("South African parliament returns Ramaphosa as president", "Lawmakers voted 283 to 44 for Ramaphosa in Cape Town."),
  ("Ramaphosa wins second term after coalition deal", "Cyril Ramaphosa secured a second full term with the backing of the DA.")])

cluster("eurostar",
 [("Eurostar services cancelled after flooding", "Eurostar cancelled all trains between London, Paris and Brussels on Saturday after flooding in a tunnel near London."),
  ("Flooded tunnel halts all Eurostar trains", "Tens of thousands of passengers were affected as Eurostar suspended services because of water in tunnels under Dartford."),
  ("Eurostar suspends trains as tunnels flood", "All Eurostar trains to and from St Pancras were stopped after flooding in Kent.")],
 [("Eurostar orders up to 50 new trains", "Eurostar has ordered up to 50 new double-decker trains worth £2bn, to expand its fleet and add new routes."),
  ("Eurostar buys double-decker trains", "The operator said the new Alstom trains would carry more passengers from 2031."),
  ("Eurostar places £2bn order for new fleet", "Eurostar announced its biggest ever order of trains to grow passenger numbers.")])

cluster("argentina",
 [("Argentina devalues peso by more than 50%", "Argentina's new government devalued the peso by 54% on Tuesday and cut energy subsidies, in the first measures of President Javier Milei."),
  ("Milei government slashes peso's value", "Economy minister Luis Caputo announced the official exchange rate would move to 800 pesos per dollar."),
  ("Argentina cuts peso by 54% in shock therapy", "The devaluation is part of a package of emergency measures to tackle inflation.")],
 [("Argentina's inflation falls to lowest in four years", "Argentina's monthly inflation fell to 2.4% in November, the lowest in four years, the statistics agency said."),
  ("Milei hails slowing inflation in Argentina", "Consumer prices rose 2.4% in November, down from 2.7% the month before."),
  ("Argentine inflation slows to 2.4% a month", "The figure is the lowest since July 2020, giving a boost to Milei.")])

cluster("kohli",
 [("India win T20 World Cup", "India beat South Africa by seven runs in the final in Barbados on Saturday to win the T20 World Cup."),
  ("India beat South Africa in T20 World Cup final", "Suryakumar Yadav's catch on the boundary helped India seal a dramatic seven-run win."),
  ("India crowned T20 world champions", "Rohit Sharma's team ended an 11-year wait for a global title in Barbados.")],
 [("Virat Kohli retires from Test cricket", "Virat Kohli has retired from Test cricket, the former India captain announced on Monday, ending a 14-year career in the format."),
  ("Kohli quits Test cricket", "The batter, who scored 9,230 Test runs, said it was not easy to step away from the format."),
  ("Virat Kohli ends Test career", "Kohli announced his retirement from Test cricket on social media.")])

cluster("wembley-oasis",
 [("Oasis confirm reunion tour", "Oasis have confirmed they will reunite for a tour of the UK and Ireland next summer, 15 years after the band split."),
  ("Liam and Noel Gallagher reunite Oasis", "The brothers said the guns have fallen silent as they announced 14 concerts in 2025."),
  ("Oasis to play first gigs since 2009", "Oasis will headline Heaton Park, Wembley and Croke Park next year.")],
 [("Oasis fans angry as ticket prices surge", "Oasis fans criticised Ticketmaster after dynamic pricing pushed some standing tickets above £350 during the sale."),
  ("Oasis dynamic pricing sparks anger", "Fans queued for hours and then saw prices more than double for the reunion tour."),
  ("Government to review ticket pricing after Oasis row", "Ministers said they would look at dynamic pricing after complaints.")])

cluster("nissan-honda",
 [("Honda and Nissan announce merger talks", "Honda and Nissan said on Monday they had begun talks on a merger that would create the world's third-largest carmaker by sales."),
  ("Nissan and Honda to explore combining", "The two Japanese carmakers signed a memorandum of understanding to discuss a merger under a holding company."),
  ("Japanese carmakers Honda and Nissan in merger talks", "The combined group would have annual sales of about $190bn.")],
 [("Honda and Nissan call off merger talks", "Honda and Nissan have ended talks on a merger, the companies said on Thursday, after disagreements over the terms."),
  ("Nissan-Honda merger collapses", "The talks broke down after Honda proposed making Nissan a subsidiary."),
  ("Honda and Nissan abandon merger plan", "The two carmakers said they would keep working together on electric vehicles.")])

cluster("lucy-letby",
 [("Lucy Letby found guilty of murdering seven babies", "Nurse Lucy Letby was found guilty at Manchester Crown Court of murdering seven babies and attempting to murder six others at the Countess of Chester Hospital."),
  ("Nurse Letby convicted of baby murders", "A jury convicted Lucy Letby of killing seven newborns on a neonatal unit, making her the UK's most prolific child killer in modern times."),
  ("Letby guilty of killing seven infants at hospital", "The neonatal nurse was convicted after a ten-month trial, with jurors unable to reach verdicts on some charges.")],
 [("Lucy Letby sentenced to whole-life order", "Lucy Letby was sentenced to a whole-life order at Manchester Crown Court on Monday, meaning she will never be released."),
  ("Letby to spend rest of life in prison", "The judge handed the nurse 14 whole-life orders in her absence, after she refused to attend."),
  ("Judge jails Letby for life without parole", "Mr Justice Goss said Letby had acted with malevolence and cunning as he passed sentence.")])

cluster("grenfell",
 [("Grenfell inquiry final report published", "The Grenfell Tower inquiry published its final report on Wednesday, finding that the deaths of 72 people were all avoidable."),
  ("Grenfell deaths were avoidable, inquiry finds", "The report blamed decades of failure by government, the construction industry and the council for the 2017 fire."),
  ("Grenfell inquiry blames 'systematic dishonesty' of firms", "The inquiry's chairman said companies selling cladding had engaged in systematic dishonesty.")],
 [("Grenfell Tower to be demolished", "Grenfell Tower will be demolished, the government has told bereaved families and survivors, more than seven years after the fire."),
  ("Government decides to pull down Grenfell Tower", "The deputy prime minister said the building would be carefully taken down, angering some survivors."),
  ("Grenfell Tower demolition confirmed", "Families were told of the decision to demolish the tower at a meeting in west London.")])

cluster("air-india",
 [("Air India plane crashes after take-off in Ahmedabad", "An Air India Boeing 787 carrying 242 people crashed shortly after taking off from Ahmedabad on Thursday, officials said."),
  ("Air India flight to London crashes in Ahmedabad", "The Boeing Dreamliner bound for Gatwick came down in a residential area moments after departure."),
  ("Boeing 787 crash: Air India jet goes down after take-off", "Flight AI171 crashed into a medical college hostel near Ahmedabad airport.")],
 [("Air India crash report points to fuel switches", "A preliminary report into the Air India crash found both engine fuel switches were moved to cut-off seconds after take-off."),
  ("Fuel cut-off switches flipped before Air India crash, report says", "Investigators said the engines lost fuel shortly after lift-off, according to the initial findings."),
  ("Air India investigators publish preliminary findings", "The report by India's air accident bureau focused on the cockpit fuel switches.")])

cluster("bezos",
 [("Jeff Bezos marries Lauren Sanchez in Venice", "Amazon founder Jeff Bezos married Lauren Sanchez on the island of San Giorgio Maggiore in Venice on Friday, with celebrities among the guests."),
  ("Bezos and Sanchez wed in lavish Venice ceremony", "The billionaire and the former journalist exchanged vows in front of guests including Kim Kardashian and Oprah Winfrey."),
  ("Venice hosts Bezos wedding amid protests", "Jeff Bezos and Lauren Sanchez tied the knot as protesters complained about the city being sold off.")],
 [("Blue Origin launches Lauren Sanchez on all-female flight", "Blue Origin flew Lauren Sanchez, Katy Perry and four other women to the edge of space on Monday, in an 11-minute flight."),
  ("Katy Perry and Lauren Sanchez go to space", "The all-female crew of the New Shepard rocket landed in west Texas after a brief suborbital flight."),
  ("Blue Origin all-women crew returns from space", "Bezos's rocket company took six women, including singer Katy Perry, on a short trip to space.")])

cluster("rfk",
 [("RFK Jr suspends presidential campaign and endorses Trump", "Robert F Kennedy Jr suspended his independent presidential campaign on Friday and endorsed Donald Trump."),
  ("Kennedy drops out of race, backs Trump", "Robert F Kennedy Jr said he would remove his name from the ballot in battleground states."),
  ("RFK Jr ends independent bid and throws support to Trump", "Kennedy announced in Phoenix that he would back Trump.")],
 [("Senate confirms RFK Jr as health secretary", "The US Senate confirmed Robert F Kennedy Jr as health secretary on Thursday by 52 votes to 48."),
  ("Kennedy confirmed to lead US health department", "Robert F Kennedy Jr won Senate approval despite concerns about his views on vaccines."),
  ("RFK Jr wins Senate vote to become health secretary", "Only one Republican senator voted against Kennedy's nomination.")])

# Templated series: every two items are a 'different' pair.
S = []
def series(name, items):
    S.append((name, items))

series("ons-gdp", [
  ("UK economy grew 0.1% in August", "The UK economy grew by 0.1% in August, the Office for National Statistics said, after no growth in July."),
  ("UK economy shrank 0.1% in October", "The UK economy contracted by 0.1% in October for the second month in a row, the Office for National Statistics said."),
  ("UK economy grew 0.4% in January", "Gross domestic product rose by 0.4% in January, the Office for National Statistics said, beating forecasts."),
  ("UK economy flat in July", "The UK economy did not grow in July, the Office for National Statistics said, as services stagnated.")])
series("cricket", [
  ("England beat New Zealand by eight wickets in first Test", "England won the first Test in Christchurch by eight wickets on Sunday, with Jacob Bethell hitting the winning runs."),
  ("England lose to India by 336 runs at Edgbaston", "India won the second Test at Edgbaston by 336 runs, Shubman Gill scoring 430 runs in the match."),
  ("England beat West Indies by an innings at Lord's", "England won the first Test against West Indies inside three days, in James Anderson's final match."),
  ("England lose to Pakistan by 152 runs in Multan", "Pakistan's spinners took all 20 wickets as England were beaten in the second Test.")])
series("storms", [
  ("Storm Eunice: red warning for London and south-east", "A rare red warning for wind has been issued for London and the south-east of England on Friday."),
  ("Storm Isha: amber warning for Northern Ireland", "An amber warning for wind covers Northern Ireland on Sunday night as Storm Isha arrives."),
  ("Storm Babet: red warning for rain in Scotland", "A red warning for rain has been issued for parts of eastern Scotland on Thursday and Friday."),
  ("Storm Ciaran: amber warning for Cornwall", "Storm Ciaran will bring gusts of up to 85mph to Cornwall on Thursday.")])
series("man-city", [
  ("Man City beat Arsenal 2-1 at the Etihad", "Erling Haaland scored twice as Manchester City beat Arsenal 2-1 in the Premier League on Sunday."),
  ("Man City beaten 4-0 by Tottenham at the Etihad", "Tottenham thrashed Manchester City 4-0, City's fifth defeat in a row."),
  ("Man City draw 3-3 with Feyenoord at the Etihad", "Manchester City blew a three-goal lead against Feyenoord in the Champions League."),
  ("Man City beat Real Madrid 4-0 at the Etihad", "Manchester City crushed Real Madrid in the Champions League semi-final second leg.")])
series("xi-putin", [
  ("Putin meets Xi in Beijing", "Vladimir Putin held talks with Xi Jinping in Beijing on Thursday on his first foreign trip since starting a new term."),
  ("Putin meets Modi in Moscow", "Narendra Modi met Vladimir Putin in Moscow on his first visit to Russia since the war in Ukraine began."),
  ("Putin meets Erdogan in Sochi", "Recep Tayyip Erdogan and Vladimir Putin discussed the Black Sea grain deal in Sochi."),
  ("Putin meets Lukashenko in Minsk", "Vladimir Putin and Alexander Lukashenko discussed nuclear weapons deployed in Belarus.")])
def row(label, a, b):
    for s in (*a, *b):
        assert "\t" not in s and "\n" not in s
    return "\t".join((label, a[0], a[1], b[0], b[1]))

out = ["# label\ttitle_a\tlead_a\ttitle_b\tlead_b",
       "# Fresh batch (issue 12, round 5), written by scripts/fingerprint-pairs-fresh5.py after the round-4",
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

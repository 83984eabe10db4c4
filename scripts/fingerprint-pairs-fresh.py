#!/usr/bin/env python3
"""Writes sources/fingerprint/testdata/pairs-fresh.tsv: the fresh batch of
labelled pairs of issue 12, round 3, written before any rule or threshold
was changed after the round-2 test half had been looked at.

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

cluster("artemis",
 [("Nasa names four astronauts for Artemis II lunar flyby", "Nasa on Monday named the four astronauts who will fly around the Moon on Artemis II, including the first woman and the first Black astronaut assigned to a lunar mission."),
  ("Meet the Artemis II crew who will fly around the Moon", "Reid Wiseman, Victor Glover, Christina Koch and Canada's Jeremy Hansen were announced in Houston as the crew of Nasa's first crewed Moon mission in more than 50 years."),
  ("Nasa unveils crew for first crewed Moon mission since Apollo", "The US space agency revealed the crew of Artemis II at a ceremony in Houston: three Nasa astronauts and one Canadian will loop around the Moon.")],
 [("Nasa pushes back Artemis II Moon mission over heat shield concerns", "Nasa said on Thursday the Artemis II crewed flight around the Moon will slip by several months while engineers investigate damage to the Orion heat shield."),
  ("Artemis II delayed again as Nasa studies Orion heat shield", "The crewed lunar flyby will not launch as planned, Nasa administrator said, after unexpected charring of the capsule's heat shield on the uncrewed test flight."),
  ("Heat shield problem forces delay to Nasa's crewed lunar flyby", "Nasa has postponed the Artemis II mission, which will send four astronauts around the Moon, to study how the Orion capsule's heat shield eroded during re-entry.")])

cluster("yoon",
 [("South Korea's Yoon declares emergency martial law", "South Korean President Yoon Suk Yeol declared emergency martial law in a late-night televised address, accusing the opposition of anti-state activities."),
  ("Yoon imposes martial law in South Korea, accusing opposition", "President Yoon Suk Yeol placed South Korea under martial law on Tuesday night, saying he needed to root out pro-North Korean forces in parliament."),
  ("South Korean president declares martial law in surprise TV address", "In a surprise late-night address, Yoon Suk Yeol announced martial law, banning political activity and putting the media under military control.")],
 [("South Korean parliament votes to impeach President Yoon", "South Korea's National Assembly voted to impeach President Yoon Suk Yeol on Saturday over his short-lived declaration of martial law, suspending him from office."),
  ("Yoon impeached by lawmakers in second vote", "Lawmakers impeached Yoon Suk Yeol in a second vote, with 204 of 300 members backing the motion, as crowds outside the assembly cheered."),
  ("South Korea's Yoon suspended from duty after impeachment vote", "Yoon Suk Yeol's powers were suspended after the National Assembly passed an impeachment motion, and the constitutional court will decide whether to remove him.")])

cluster("bbc-dg",
 [("BBC director general Tim Davie resigns", "Tim Davie has resigned as director general of the BBC after five years in the job, the corporation said in a statement on Sunday evening."),
  ("Tim Davie quits as head of the BBC", "The BBC's director general Tim Davie has stepped down, the broadcaster announced, saying he would stay on for a handover period."),
  ("BBC boss Davie steps down", "Tim Davie is leaving his post as BBC director general, ending a tenure marked by rows over impartiality and the licence fee.")],
 [("BBC appoints new director general", "The BBC board has appointed a new director general to succeed Tim Davie, the corporation announced on Wednesday, after an eight-week search."),
  ("BBC names Davie's successor as director general", "The corporation named its next director general, who will take over from Tim Davie in the spring, the BBC board said."),
  ("New BBC director general chosen to replace Tim Davie", "A successor to Tim Davie has been chosen to lead the BBC, with the board approving the appointment at a meeting in London.")])

cluster("spacex-starship",
 [("SpaceX launches Starship on sixth test flight", "SpaceX launched its Starship rocket from Boca Chica, Texas, on Tuesday on its sixth test flight, watched by President-elect Donald Trump."),
  ("Starship lifts off from Texas for sixth test", "Elon Musk's SpaceX sent its giant Starship rocket aloft from south Texas in its sixth flight test, with the booster splashing down in the Gulf."),
  ("Trump watches as SpaceX Starship blasts off", "Donald Trump joined Elon Musk in Texas to see the Starship megarocket lift off on its sixth test flight.")],
 [("SpaceX scrubs Starship launch at last minute", "SpaceX called off the launch of its Starship rocket in the final seconds of the countdown on Monday, citing a ground equipment problem."),
  ("Starship launch postponed after countdown halted", "The countdown for the Starship test flight was stopped at T-40 seconds and the attempt was called off for the day, SpaceX said."),
  ("Last-second abort grounds SpaceX Starship flight", "SpaceX stood down from a Starship test flight after an automatic hold late in the countdown, and said it would try again later in the week.")])

cluster("nyt-openai",
 [("New York Times sues OpenAI and Microsoft over copyright", "The New York Times sued OpenAI and Microsoft on Wednesday, accusing them of using millions of its articles without permission to train chatbots."),
  ("NYT files lawsuit against OpenAI, Microsoft alleging infringement", "The newspaper filed suit in federal court in Manhattan, saying ChatGPT reproduces its journalism and competes with it as a source of information."),
  ("Times takes OpenAI to court over use of its articles", "The New York Times has launched legal action against OpenAI and its backer Microsoft, claiming billions of dollars in damages for copying its work.")],
 [("OpenAI strikes licensing deal with News Corp", "OpenAI has signed a multi-year deal with News Corp to use content from The Wall Street Journal, The Times and other titles in its products."),
  ("News Corp signs content agreement with OpenAI", "Rupert Murdoch's News Corp agreed to license its news content to OpenAI, in a deal said to be worth more than $250m over five years."),
  ("OpenAI to use Wall Street Journal articles under News Corp pact", "ChatGPT will be able to display content from News Corp publications including The Wall Street Journal under an agreement announced on Wednesday.")])

cluster("djokovic",
 [("Djokovic wins Olympic gold in Paris", "Novak Djokovic beat Carlos Alcaraz 7-6 7-6 to win the Olympic men's singles gold medal in Paris, the one major title missing from his career."),
  ("Novak Djokovic finally claims Olympic title", "Djokovic completed the career Golden Slam by defeating Alcaraz in straight sets on Roland Garros's Court Philippe Chatrier."),
  ("Djokovic beats Alcaraz for elusive Olympic gold", "Serbia's Novak Djokovic wept on court after clinching the gold medal that had eluded him at four previous Games.")],
 [("Djokovic knocked out of Australian Open semi-final", "Novak Djokovic lost to Jannik Sinner in the Australian Open semi-finals, ending his 33-match winning run at Melbourne Park."),
  ("Sinner ends Djokovic's reign in Melbourne", "Jannik Sinner beat the ten-time champion Novak Djokovic in four sets to reach his first Grand Slam final at the Australian Open."),
  ("Djokovic beaten by Sinner at Australian Open", "The world number one Novak Djokovic was beaten 6-1 6-2 6-7 6-3 by Italy's Jannik Sinner in the last four at Melbourne Park.")])

cluster("boeing",
 [("Boeing CEO Dave Calhoun to step down", "Boeing chief executive Dave Calhoun will step down at the end of the year, the company said on Monday, as part of a management shake-up after the Alaska Airlines blowout."),
  ("Calhoun to leave Boeing amid safety crisis", "Dave Calhoun said he would leave the planemaker by year-end, while the chairman and the head of the commercial airplanes unit also depart."),
  ("Boeing boss quits in leadership overhaul", "The head of Boeing is leaving, the US aerospace group announced, after a door panel blew off a 737 Max 9 in mid-air in January.")],
 [("Boeing machinists vote to end seven-week strike", "Boeing factory workers voted to accept a new contract and end a strike that halted production of the 737 Max for seven weeks, the union said."),
  ("Striking Boeing workers accept pay deal", "Some 33,000 members of the IAM union approved a 38% pay rise over four years, ending the walkout at Boeing's Seattle-area plants."),
  ("Boeing strike ends after union members back offer", "Machinists at Boeing will return to work after backing the company's latest offer in a vote on Monday, ending a costly stoppage.")])

cluster("macron-pm",
 [("Macron appoints Michel Barnier as French prime minister", "French President Emmanuel Macron named the former Brexit negotiator Michel Barnier as prime minister on Thursday, ending weeks of deadlock."),
  ("Barnier named France's new PM", "Emmanuel Macron picked Michel Barnier, the EU's chief Brexit negotiator, to lead the government, 60 days after snap elections."),
  ("Former Brexit negotiator Barnier to lead French government", "Michel Barnier, 73, becomes the oldest prime minister of the Fifth Republic after being appointed by Macron.")],
 [("French government of Michel Barnier toppled in no-confidence vote", "France's National Assembly ousted Prime Minister Michel Barnier's government in a no-confidence vote, the first to succeed since 1962."),
  ("Barnier ousted as French lawmakers back no-confidence motion", "Left-wing and far-right deputies joined forces to bring down Michel Barnier after he forced through a budget without a vote."),
  ("France's prime minister Barnier loses confidence vote", "Michel Barnier lost a confidence vote in parliament on Wednesday and must hand his resignation to President Macron.")])

cluster("fed",
 [("Fed holds interest rates steady, signals cuts later this year", "The Federal Reserve kept its benchmark rate unchanged in a range of 5.25% to 5.5% on Wednesday and said it still expects to cut rates this year."),
  ("Federal Reserve leaves rates unchanged for fifth meeting", "US policymakers held borrowing costs at a 23-year high, with Jerome Powell saying the Fed needs more confidence inflation is falling."),
  ("Powell and Fed keep rates on hold", "The US central bank left its key rate where it was, while officials pencilled in three quarter-point reductions before the end of the year.")],
 [("Fed cuts rates by a quarter point", "The Federal Reserve lowered its benchmark rate by 25 basis points on Thursday to a range of 4.5% to 4.75%, its second cut this year."),
  ("Federal Reserve lowers borrowing costs again", "US policymakers trimmed interest rates by a quarter of a percentage point, with Jerome Powell saying the election would have no near-term effect."),
  ("US central bank trims rates by 25 basis points", "The Fed reduced its key rate a further quarter point, continuing the easing it began in September as inflation cools.")])

cluster("tesla-earnings",
 [("Tesla profit falls 55% as price cuts bite", "Tesla's first-quarter net income fell 55% to $1.13bn, and revenue dropped 9%, the steepest decline since 2012, the carmaker said."),
  ("Tesla earnings slump after EV price war", "Elon Musk's Tesla reported a sharp fall in quarterly profit as it slashed prices to defend sales against Chinese rivals."),
  ("Tesla quarterly revenue drops for first time in four years", "Revenue at Tesla declined to $21.3bn in the first three months of the year and its profit more than halved.")],
 [("Tesla unveils Cybercab robotaxi", "Tesla showed off its long-promised Cybercab robotaxi at an event in Los Angeles, with Elon Musk saying production would begin before 2027."),
  ("Musk shows off driverless Tesla Cybercab at Hollywood event", "The two-seater with no steering wheel or pedals was revealed at Warner Bros studios, where Musk said it would cost under $30,000."),
  ("Tesla reveals robotaxi without steering wheel", "Elon Musk presented Tesla's self-driving Cybercab to investors and fans, though he gave few details of how it would win regulatory approval.")])

cluster("trump-trial",
 [("Trump found guilty on all 34 counts in hush money trial", "A New York jury found Donald Trump guilty of 34 felony counts of falsifying business records to cover up a payment to Stormy Daniels."),
  ("Donald Trump convicted in New York criminal trial", "The former president became the first to be convicted of a crime after jurors reached a unanimous verdict in Manhattan."),
  ("Jury convicts Trump of falsifying business records", "Jurors in Manhattan convicted Donald Trump on every count he faced over a hush money payment before the 2016 election.")],
 [("Judge postpones Trump sentencing in hush money case", "Justice Juan Merchan delayed Donald Trump's sentencing in the New York hush money case until after the presidential election."),
  ("Trump sentencing delayed until after election", "The judge in Donald Trump's hush money case agreed to push back the sentencing hearing to November 26, after a request from his lawyers."),
  ("Merchan puts off Trump's sentencing to November", "Donald Trump will not be sentenced in September as planned, Judge Juan Merchan ruled, citing the need to avoid any appearance of political influence.")])

cluster("apple",
 [("Apple unveils iPhone 16 with AI features", "Apple unveiled the iPhone 16 on Monday at its Cupertino headquarters, with a new camera button and its Apple Intelligence features."),
  ("iPhone 16 launched with camera control button", "Apple's new iPhone 16 line, shown at its annual September event, adds a dedicated capture button and is built for artificial intelligence."),
  ("Apple shows off new iPhones built for Apple Intelligence", "The company introduced four iPhone 16 models at its 'It's Glowtime' event, promising AI tools later this year.")],
 [("EU fines Apple €1.8bn over music streaming", "The European Commission fined Apple €1.8bn for blocking music streaming rivals such as Spotify from telling users about cheaper offers."),
  ("Apple hit with €1.8bn EU fine in Spotify case", "Brussels imposed its first fine on Apple for breaking EU competition law, after a complaint by the Swedish streaming service."),
  ("Brussels fines Apple over App Store music rules", "Apple must pay €1.84bn after EU regulators found it abused its dominance in distributing music streaming apps to iPhone users.")])

cluster("sunak-election",
 [("Rishi Sunak calls general election for July 4", "Prime Minister Rishi Sunak announced outside Downing Street in the rain that the UK general election will be held on July 4."),
  ("UK to vote on 4 July as Sunak fires starting gun", "Rishi Sunak surprised his own MPs by calling a summer general election, saying it was time for Britain to choose its future."),
  ("Sunak announces summer general election", "The prime minister confirmed the date of the next general election in a rain-soaked speech in Downing Street on Wednesday afternoon.")],
 [("Sunak resigns as Conservative leader after election defeat", "Rishi Sunak said he would stand down as leader of the Conservative Party once arrangements for choosing his successor are in place."),
  ("Rishi Sunak quits as Tory leader", "The outgoing prime minister apologised to the country and said he would resign as party leader after the worst Tory result in history."),
  ("Sunak to step down as party leader after Labour landslide", "Rishi Sunak, speaking outside Downing Street for the last time as prime minister, said he had heard the voters' anger.")])

cluster("biden",
 [("Biden drops out of 2024 presidential race", "President Joe Biden ended his re-election campaign on Sunday, bowing to pressure from Democrats after his debate performance."),
  ("Joe Biden withdraws from election, endorses Kamala Harris", "Joe Biden announced on social media that he was withdrawing from the race and backed his vice-president to lead the Democratic ticket."),
  ("Biden quits White House race", "The US president stepped aside as the Democratic candidate, saying it was in the best interest of his party and the country.")],
 [("Biden pardons son Hunter", "President Joe Biden issued a full pardon for his son Hunter on Sunday, reversing his repeated pledges not to intervene in his son's cases."),
  ("Joe Biden grants Hunter Biden full pardon", "The president said his son had been singled out and unfairly prosecuted, as he pardoned him for gun and tax offences."),
  ("Biden reverses pledge and pardons his son", "Hunter Biden was spared sentencing in his gun and tax cases after his father signed a sweeping pardon weeks before leaving office.")])

cluster("crowdstrike",
 [("Faulty CrowdStrike update causes global IT outage", "A faulty software update from cybersecurity firm CrowdStrike crashed Windows computers around the world on Friday, grounding flights and taking broadcasters off air."),
  ("Worldwide IT meltdown blamed on CrowdStrike update", "Airlines, banks and hospitals were hit as millions of Microsoft Windows machines showed the blue screen of death after a CrowdStrike patch."),
  ("CrowdStrike glitch grounds flights and disrupts banks", "A botched update to CrowdStrike's Falcon software knocked out systems worldwide, the company confirmed, saying it was not a cyberattack.")],
 [("Delta sues CrowdStrike over outage", "Delta Air Lines has sued CrowdStrike in a Georgia court, seeking damages for the July outage that led it to cancel thousands of flights."),
  ("Delta Air Lines files lawsuit against CrowdStrike", "The airline said the outage cost it $500m and accused the cybersecurity company of gross negligence in pushing an untested update."),
  ("Delta takes CrowdStrike to court for $500m losses", "Delta has launched legal action against CrowdStrike over the July IT failure that stranded its passengers for days.")])

cluster("england-manager",
 [("Gareth Southgate resigns as England manager", "Gareth Southgate has resigned as England manager two days after their defeat by Spain in the Euro 2024 final, the Football Association said."),
  ("Southgate quits England after Euro 2024 final loss", "England manager Gareth Southgate stepped down after eight years in charge, saying it was time for change."),
  ("Southgate leaves England job after eight years", "The FA confirmed Southgate's departure, ending a reign that included two European Championship finals and a World Cup semi-final.")],
 [("Thomas Tuchel appointed England manager", "The Football Association has appointed Thomas Tuchel as England manager, the German taking charge from January on an 18-month contract."),
  ("Tuchel named new England boss", "Former Chelsea and Bayern Munich coach Thomas Tuchel will lead England at the 2026 World Cup, the FA announced on Wednesday."),
  ("FA hires Thomas Tuchel to lead England", "England have a new permanent manager: Thomas Tuchel signed a contract running until the end of the 2026 World Cup.")])

cluster("hurricane-milton",
 [("Hurricane Milton makes landfall in Florida", "Hurricane Milton made landfall near Siesta Key on Florida's Gulf coast on Wednesday night as a category 3 storm, the National Hurricane Center said."),
  ("Milton slams into Florida's west coast", "The powerful storm came ashore south of Tampa Bay, bringing winds of 120mph and a dangerous storm surge."),
  ("Category 3 Milton crashes ashore near Sarasota", "Milton hit Florida near Sarasota late on Wednesday, knocking out power to more than a million homes, forecasters said.")],
 [("Hurricane Milton strengthens to category 5", "Hurricane Milton rapidly intensified into a category 5 storm in the Gulf of Mexico on Monday, with winds of 175mph, forecasters said."),
  ("Milton becomes category 5 hurricane as it heads for Florida", "The storm exploded in strength over warm Gulf waters, the National Hurricane Center said, and Florida ordered evacuations."),
  ("Milton intensifies rapidly into 'extremely dangerous' storm", "Forecasters said Milton had become one of the fastest-strengthening Atlantic hurricanes on record, reaching the top category.")])

cluster("nvidia",
 [("Nvidia becomes world's most valuable company", "Nvidia overtook Microsoft to become the world's most valuable company on Tuesday, its market value passing $3.3tn as AI chip demand soared."),
  ("Nvidia overtakes Microsoft as most valuable firm", "Shares in the chipmaker rose 3.5% to give it a stock market value of $3.34tn, putting it ahead of Microsoft and Apple."),
  ("AI boom makes Nvidia the biggest company on Earth", "Nvidia's stock market value climbed past Microsoft's, crowning the maker of AI chips the world's largest listed company.")],
 [("Nvidia shares tumble as $279bn wiped off value", "Nvidia shares fell 9.5% on Tuesday, wiping $279bn off its market value, the biggest one-day loss for a US company."),
  ("Nvidia suffers record one-day loss in market value", "The AI chipmaker lost nearly $280bn in stock market value as investors fled technology stocks over growth fears."),
  ("Chip stocks slump, led by Nvidia's 9.5% fall", "Nvidia led a sell-off in semiconductor shares on Wall Street, its stock sliding the most since 2020.")])

cluster("netanyahu-icc",
 [("ICC issues arrest warrant for Netanyahu", "The International Criminal Court issued arrest warrants for Israeli Prime Minister Benjamin Netanyahu and former defence minister Yoav Gallant on Thursday."),
  ("International Criminal Court seeks arrest of Netanyahu and Gallant", "Judges in The Hague said there were reasonable grounds to believe the two men bore criminal responsibility for war crimes in Gaza."),
  ("Hague court orders arrest of Israel's prime minister", "The ICC's pre-trial chamber approved warrants for Netanyahu, Gallant and Hamas commander Mohammed Deif.")],
 [("Netanyahu fires defence minister Gallant", "Israeli Prime Minister Benjamin Netanyahu dismissed Defence Minister Yoav Gallant on Tuesday, citing a crisis of trust over the conduct of the war."),
  ("Israel's Netanyahu sacks Gallant over 'crisis of trust'", "Benjamin Netanyahu removed his defence minister and appointed foreign minister Israel Katz to replace him, prompting protests in Tel Aviv."),
  ("Gallant dismissed as Israel's defence minister", "Yoav Gallant was fired by Benjamin Netanyahu after months of public disagreements over hostages and the Gaza war.")])

cluster("oscars",
 [("Oppenheimer wins best picture at the Oscars", "Christopher Nolan's Oppenheimer won best picture at the 96th Academy Awards on Sunday, one of seven Oscars for the film."),
  ("Oppenheimer sweeps Academy Awards with seven Oscars", "The atomic bomb drama took best picture, best director for Nolan and best actor for Cillian Murphy in Los Angeles."),
  ("Nolan's Oppenheimer dominates Oscars night", "Oppenheimer was the big winner at the Academy Awards, with Christopher Nolan finally taking home the best director prize.")],
 [("Oppenheimer leads Oscar nominations with 13", "Christopher Nolan's Oppenheimer topped the Academy Award nominations on Tuesday with 13, followed by Poor Things with 11."),
  ("Oscars 2024 nominations: Oppenheimer out in front", "The biopic of the atomic bomb's creator earned 13 nods, including best picture, director and actor for Cillian Murphy."),
  ("Oppenheimer scores 13 Academy Award nominations", "Nolan's film leads the field, while Barbie director Greta Gerwig and star Margot Robbie were snubbed.")])

cluster("olympics-bach",
 [("IOC president Thomas Bach says he will not seek third term", "Thomas Bach said he will not seek to extend his presidency of the International Olympic Committee beyond 2025, ending speculation about a rule change."),
  ("Bach to step down as IOC president in 2025", "The German told the IOC session in Paris he would leave office when his second term ends, to applause from members."),
  ("Thomas Bach rules out staying on as Olympic chief", "The International Olympic Committee will elect a new president next year after Bach said he would respect the term limits.")],
 [("Kirsty Coventry elected IOC president", "Zimbabwe's Kirsty Coventry was elected president of the International Olympic Committee, the first woman and first African to hold the post."),
  ("Coventry becomes first woman to lead IOC", "The former Olympic swimming champion won the election in Greece in the first round, succeeding Thomas Bach."),
  ("Kirsty Coventry wins race to succeed Bach at IOC", "IOC members chose Kirsty Coventry as their new leader at a session in Costa Navarino, beating six other candidates.")])

cluster("volcano-iceland",
 [("Volcano erupts on Iceland's Reykjanes peninsula", "A volcano erupted north of Grindavik on Iceland's Reykjanes peninsula on Monday night, the Icelandic Met Office said, sending lava fountains into the sky."),
  ("Iceland volcano eruption lights up night sky near Grindavik", "Lava spewed from a fissure about 4km long near the fishing town of Grindavik, which had been evacuated weeks earlier."),
  ("Eruption begins near Grindavik after weeks of earthquakes", "Iceland's Met Office said an eruption started after an intense earthquake swarm, with the Blue Lagoon closed as a precaution.")],
 [("Lava reaches homes in Iceland's Grindavik", "Lava flowed into the outskirts of Grindavik on Sunday, setting houses on fire after breaching defensive barriers, Icelandic authorities said."),
  ("Homes burn as lava enters Icelandic town", "Several houses in Grindavik were destroyed when a new fissure opened just outside the town's defences."),
  ("Grindavik houses engulfed by lava flow", "Iceland's president said it was a dark day as lava crossed into the evacuated town of Grindavik and consumed buildings.")])

cluster("uk-inflation",
 [("UK inflation falls to 2%, hitting Bank of England target", "UK inflation fell to 2% in May, the first time it has been at the Bank of England's target in nearly three years, official figures show."),
  ("Inflation returns to 2% target for first time since 2021", "The consumer prices index rose 2% in the year to May, down from 2.3% in April, the Office for National Statistics said."),
  ("UK consumer price inflation drops to target", "Food price rises slowed, helping bring the annual rate of inflation down to 2%, the ONS said on Wednesday.")],
 [("UK inflation rises to 2.3% in October", "UK inflation rose more than expected to 2.3% in October, up from 1.7% in September, driven by higher energy bills, the ONS said."),
  ("Energy price cap lifts UK inflation above target", "The rate of consumer price inflation climbed to 2.3% as the energy price cap rose, official figures showed."),
  ("UK inflation jumps back above Bank of England's 2% goal", "Inflation accelerated to 2.3% last month, making further interest rate cuts less likely this year, economists said.")])

cluster("google-antitrust",
 [("Google loses landmark antitrust case over search", "A US judge ruled on Monday that Google illegally maintained a monopoly in online search, in a landmark defeat for the tech giant."),
  ("Judge rules Google is a monopolist", "Judge Amit Mehta found Google broke antitrust law by paying billions to be the default search engine on phones and browsers."),
  ("Google acted illegally to crush search rivals, court finds", "In the biggest antitrust ruling against a tech firm in decades, a federal judge in Washington said Google is a monopolist.")],
 [("US asks judge to force Google to sell Chrome", "The US Justice Department asked a judge to order Google to sell its Chrome browser to end its monopoly in search."),
  ("DOJ wants Google to divest Chrome browser", "Prosecutors proposed that Google sell Chrome and stop paying to be the default search engine, in a court filing on Wednesday."),
  ("Justice Department seeks Chrome sale in Google case", "Government lawyers said breaking off the browser is needed to restore competition after the court found Google holds a monopoly.")])

cluster("putin",
 [("Putin wins Russian presidential election with 87%", "Vladimir Putin won Russia's presidential election with 87% of the vote, the central election commission said, extending his rule to 2030."),
  ("Putin claims landslide victory in Russian election", "Vladimir Putin secured a fifth term in a vote without real opposition, election officials announced on Monday."),
  ("Russia's Putin re-elected for fifth term", "Official results gave Vladimir Putin a record share of the vote, which Western governments said was neither free nor fair.")],
 [("Putin arrives in North Korea for talks with Kim", "Russian President Vladimir Putin landed in Pyongyang early on Wednesday for his first visit to North Korea in 24 years."),
  ("Putin visits Pyongyang as Moscow deepens ties with Kim", "Kim Jong Un greeted Vladimir Putin at the airport in the North Korean capital, state media reported."),
  ("Kim Jong Un welcomes Putin on rare visit to North Korea", "The Russian leader is expected to sign a partnership deal with Kim during the two-day trip.")])

cluster("quake-japan",
 [("Magnitude 7.5 earthquake hits Japan's Noto peninsula", "A magnitude 7.5 earthquake struck the Noto peninsula in Ishikawa prefecture on New Year's Day, the Japan Meteorological Agency said."),
  ("Powerful New Year's Day quake strikes central Japan", "The strong earthquake in Ishikawa triggered tsunami warnings along the Sea of Japan coast and toppled buildings in Wajima."),
  ("Japan issues tsunami warning after strong Ishikawa quake", "Residents of the Noto peninsula were ordered to flee to higher ground after the 7.5-magnitude tremor.")],
 [("Magnitude 7.1 earthquake strikes off southern Japan", "A magnitude 7.1 earthquake struck off the island of Kyushu on Thursday, prompting a tsunami advisory, the Japan Meteorological Agency said."),
  ("Japan warns of possible megaquake after 7.1 tremor", "For the first time, Japanese seismologists issued a megaquake advisory after a strong tremor off Miyazaki prefecture."),
  ("Strong quake off Kyushu triggers tsunami advisory", "The 7.1-magnitude quake off Miyazaki shook southern Japan, with small tsunami waves observed along the coast.")])

cluster("uber-strike-series",
 [("Tube strike: London Underground shut on Monday", "Most London Underground lines will be closed on Monday as RMT members walk out in a dispute over pay, Transport for London said."),
  ("London Tube walkout to close network on Monday", "Commuters face disruption as thousands of Underground workers strike on Monday in the RMT pay row."),
  ("Monday Tube strike to bring London to standstill", "Transport for London warned there would be little or no service on the Underground on Monday because of strike action.")],
 [("Tube strike called off after pay offer", "A planned strike on the London Underground has been called off after the RMT union accepted an improved pay offer from Transport for London."),
  ("RMT suspends Tube walkout following new offer", "The union said it had suspended next week's Underground strike to put a revised pay deal to members."),
  ("London Underground strike cancelled", "Londoners will not face a Tube shutdown after all: the RMT called off its walkout following talks with TfL.")])

cluster("man-utd",
 [("Manchester United sack Erik ten Hag", "Manchester United have sacked manager Erik ten Hag after a poor start to the season, with Ruud van Nistelrooy taking interim charge."),
  ("Ten Hag fired by Man Utd after West Ham defeat", "Erik ten Hag has been dismissed by Manchester United, a day after a 2-1 loss at West Ham left them 14th in the Premier League."),
  ("Manchester United part ways with Ten Hag", "The Dutchman leaves Old Trafford after two and a half years, the club said, thanking him for winning two trophies.")],
 [("Manchester United appoint Ruben Amorim as head coach", "Manchester United have appointed Sporting Lisbon's Ruben Amorim as their new head coach on a contract until 2027."),
  ("Amorim confirmed as new Man Utd boss", "Ruben Amorim will take charge at Old Trafford from November 11, after United agreed to pay his release clause."),
  ("Man United hire Sporting's Ruben Amorim", "The Portuguese coach becomes Manchester United's fifth permanent manager since Alex Ferguson retired.")])

cluster("thames-water",
 [("Thames Water fined £123m by Ofwat", "Thames Water has been fined £122.7m by the regulator Ofwat for breaches over sewage spills and dividend payments, the largest penalty it has imposed."),
  ("Ofwat hits Thames Water with record penalty", "The regulator said the water company broke rules on wastewater and paid shareholders when it should not have."),
  ("Record fine for Thames Water over sewage and dividends", "Britain's largest water company must pay £123m, Ofwat announced, as it struggles with £16bn of debts.")],
 [("Thames Water wins court backing for £3bn rescue loan", "Thames Water won High Court approval for a £3bn emergency loan from its creditors, averting temporary nationalisation for now."),
  ("Court approves Thames Water emergency funding", "A judge sanctioned a lifeline loan for Thames Water, rejecting objections from a group of junior creditors."),
  ("Thames Water secures lifeline as judge backs loan", "Britain's biggest water supplier will get £3bn to keep running until next year after the High Court backed the deal.")])

cluster("ukraine-kursk",
 [("Ukraine launches surprise incursion into Russia's Kursk region", "Ukrainian troops crossed into Russia's Kursk region in the largest incursion into Russian territory since the war began, Moscow said."),
  ("Ukrainian forces push into Kursk in cross-border attack", "Russia said it was fighting Ukrainian troops and armoured vehicles that had advanced several kilometres into the Kursk region."),
  ("Kyiv's troops storm across border into Russia", "Thousands of civilians fled as Ukraine mounted a surprise cross-border assault on the Kursk region, Russian officials said.")],
 [("Russia says it has retaken Sudzha from Ukrainian forces", "Russia's defence ministry said its troops had recaptured the town of Sudzha in the Kursk region, the largest held by Ukraine."),
  ("Russian troops recapture key Kursk town", "Moscow said it had driven Ukrainian forces out of Sudzha, in a major setback to Kyiv's operation in the Kursk region."),
  ("Ukraine loses grip on Sudzha as Russia advances", "Russian forces retook Sudzha, the defence ministry said, and Ukrainian commanders confirmed a withdrawal to new positions.")])

cluster("notre-dame",
 [("Notre-Dame cathedral reopens five years after fire", "Notre-Dame cathedral in Paris reopened on Saturday with a ceremony attended by world leaders, five years after a fire devastated it."),
  ("Paris celebrates as Notre-Dame opens its doors again", "Archbishop Laurent Ulrich knocked on the cathedral's doors with his crosier to mark the reopening of Notre-Dame."),
  ("Macron and Trump attend Notre-Dame reopening", "World leaders joined the reopening ceremony of the restored Paris cathedral, rebuilt after the 2019 blaze.")],
 [("Notre-Dame spire reappears above Paris skyline", "The new spire of Notre-Dame cathedral has been unveiled after scaffolding came down, four years after the fire that destroyed the original."),
  ("Notre-Dame's rebuilt spire revealed", "Parisians saw the cathedral's spire again as workers removed scaffolding, with a golden rooster placed at its tip."),
  ("Scaffolding removed to unveil new Notre-Dame spire", "The 96-metre spire, a replica of Viollet-le-Duc's design, can be seen over Paris once more.")])

cluster("ecb",
 [("ECB cuts interest rates for first time since 2019", "The European Central Bank cut its deposit rate by a quarter point to 3.75% on Thursday, its first reduction in nearly five years."),
  ("European Central Bank lowers rates ahead of Fed", "Christine Lagarde said the ECB had cut borrowing costs as inflation had eased, moving before the US Federal Reserve."),
  ("Lagarde announces first eurozone rate cut in five years", "The ECB trimmed its key rate to 3.75% while warning that inflation would stay above target well into next year.")],
 [("ECB holds rates at record high", "The European Central Bank kept its deposit rate at a record 4% on Thursday, saying it was too early to discuss cuts."),
  ("European Central Bank keeps rates unchanged", "Christine Lagarde said eurozone policymakers had not discussed lowering rates as the ECB left borrowing costs on hold."),
  ("Lagarde: ECB leaves rates at 4%", "Eurozone interest rates were held steady for the third meeting in a row, the ECB said, as inflation continues to slow.")])

cluster("kate",
 [("Princess of Wales reveals cancer diagnosis", "Catherine, Princess of Wales, said in a video message on Friday that she has cancer and is undergoing preventive chemotherapy."),
  ("Kate says she has cancer in video message", "The Princess of Wales disclosed her diagnosis after weeks of speculation about her health, asking for privacy."),
  ("Catherine announces she is being treated for cancer", "Kensington Palace released a video in which the princess said the diagnosis came as a huge shock.")],
 [("Princess of Wales says she is in remission from cancer", "Catherine, Princess of Wales, said on Tuesday she is in remission from cancer and is committed to reducing the risk of it returning."),
  ("Kate in remission after cancer treatment", "The princess shared the news after visiting the Royal Marsden hospital, where she was treated."),
  ("Catherine tells of relief at cancer remission", "The Princess of Wales said it was a relief to be in remission and that she looked forward to a fulfilling year.")])

cluster("intel",
 [("Intel to cut 15% of workforce", "Intel will cut more than 15% of its workforce, about 15,000 jobs, as part of a $10bn cost-cutting plan, the chipmaker said on Thursday."),
  ("Intel announces 15,000 job cuts and suspends dividend", "The US chipmaker said it would lay off thousands of staff and stop paying a dividend after a dismal quarter."),
  ("Chipmaker Intel to lay off more than 15,000 employees", "Intel chief Pat Gelsinger said the company must become leaner as it struggles to compete in AI chips.")],
 [("Intel chief Pat Gelsinger retires", "Intel chief executive Pat Gelsinger has retired and stepped down from the board, the company said on Monday, with two interim co-CEOs named."),
  ("Pat Gelsinger ousted as Intel CEO", "The board forced out Gelsinger after losing confidence in his turnaround plan, people familiar with the matter said."),
  ("Intel boss Gelsinger leaves after less than four years", "Pat Gelsinger's departure leaves the struggling chipmaker searching for a new leader.")])

cluster("liverpool",
 [("Liverpool beat Chelsea to win Carabao Cup", "Virgil van Dijk's header in extra time gave Liverpool a 1-0 win over Chelsea in the Carabao Cup final at Wembley."),
  ("Van Dijk header wins League Cup for Liverpool", "Jurgen Klopp's young side beat Chelsea 1-0 after extra time to lift the trophy at Wembley on Sunday."),
  ("Klopp's kids lift Carabao Cup after extra-time win over Chelsea", "Liverpool's captain headed the only goal in the 118th minute to win the first trophy of Klopp's final season.")],
 [("Jurgen Klopp to leave Liverpool at end of season", "Jurgen Klopp will step down as Liverpool manager at the end of the season, saying he is running out of energy."),
  ("Klopp announces shock Liverpool exit", "Liverpool manager Jurgen Klopp revealed he will quit the club in the summer after nine years in charge."),
  ("Klopp says he is running out of energy as he quits Liverpool", "The German, who won the Premier League and Champions League at Anfield, will leave when his contract is cut short.")])

cluster("meta",
 [("Meta fined €1.2bn over EU data transfers", "Meta has been fined a record €1.2bn by Ireland's data regulator for transferring European Facebook users' data to the United States."),
  ("Facebook owner hit with record GDPR fine", "The Irish Data Protection Commission ordered Meta to pay €1.2bn and stop sending EU users' data to the US."),
  ("Record €1.2bn privacy penalty for Meta", "Meta said it would appeal the fine imposed by Irish regulators over its transfers of personal data across the Atlantic.")],
 [("Meta launches Threads to rival Twitter", "Meta launched Threads, a text-based app to compete with Elon Musk's Twitter, drawing 10 million sign-ups in its first hours."),
  ("Zuckerberg's Threads app takes on Twitter", "Mark Zuckerberg's new app, linked to Instagram accounts, went live in more than 100 countries on Wednesday."),
  ("Threads sign-ups pass 10 million as Meta challenges Musk", "Meta's Twitter rival Threads signed up millions of users within hours of going live.")])


# Templated series: one outlet's (or several outlets') recurring story, each
# item a different event; every two items are a 'different' pair.
S = []
def series(name, items):
    S.append((name, items))

series("ftse", [
  ("FTSE 100 closes higher as miners rally", "London's FTSE 100 ended Tuesday up 0.6% at 8,120, led by mining stocks as copper prices climbed on hopes of Chinese stimulus."),
  ("FTSE 100 ends lower as banks drag", "The FTSE 100 closed down 0.4% at 8,087 on Wednesday, with HSBC and Barclays among the biggest fallers after weak US data."),
  ("FTSE 100 hits record high on rate cut hopes", "London's blue-chip index touched an all-time high of 8,445 on Friday as traders bet the Bank of England would cut rates in August."),
  ("FTSE 100 flat as investors await Fed decision", "The FTSE 100 finished little changed at 8,203 on Monday, with investors cautious ahead of the Federal Reserve's meeting.")])
series("met-office", [
  ("Met Office issues yellow warning for snow in Scotland", "A yellow weather warning for snow and ice covers much of northern Scotland from Thursday evening, the Met Office said, with up to 10cm on higher ground."),
  ("Amber warning for heavy rain in south Wales", "The Met Office has issued an amber warning for heavy rain across south Wales on Saturday, with flooding likely in some communities."),
  ("Met Office warns of strong winds for Northern Ireland", "Gusts of up to 70mph are expected in Northern Ireland on Sunday under a yellow wind warning, forecasters said."),
  ("Yellow warning for thunderstorms in London and south-east", "Thunderstorms could bring flash flooding and lightning to London and the south-east on Tuesday afternoon, the Met Office said.")])
series("premier-league", [
  ("Arsenal beat Tottenham 3-2 in north London derby", "Arsenal held on to beat Tottenham 3-2 at the Tottenham Hotspur Stadium, with Kai Havertz scoring the decisive goal before half-time."),
  ("Arsenal held to 0-0 draw by Brentford", "Arsenal dropped points in the title race as they were held to a goalless draw by Brentford at the Emirates on Saturday."),
  ("Arsenal thrash Chelsea 5-0 at the Emirates", "Ben White and Kai Havertz scored twice each as Arsenal beat Chelsea 5-0 to go top of the Premier League."),
  ("Arsenal lose 2-0 at home to Aston Villa", "Aston Villa stunned Arsenal with two late goals at the Emirates, denting the Gunners' hopes of winning the Premier League.")])
series("ukraine-live", [
  ("Russia-Ukraine war: key events on day 1,000", "Ukraine fired US-made ATACMS missiles into Russian territory for the first time, Moscow said, on the 1,000th day of the war."),
  ("Russia-Ukraine war: key events on day 1,001", "Ukraine used British Storm Shadow missiles against targets in Russia, while the US closed its embassy in Kyiv over an expected air attack."),
  ("Russia-Ukraine war: key events on day 1,002", "Russia fired an experimental intermediate-range missile at the Ukrainian city of Dnipro, Vladimir Putin said in a televised address."),
  ("Russia-Ukraine war: key events on day 1,003", "Nato and Ukraine will hold emergency talks after Russia's strike with a new hypersonic missile, while fighting continued in Kursk.")])
series("xi-meets", [
  ("Xi Jinping meets Biden on sidelines of Apec summit", "Chinese leader Xi Jinping met US President Joe Biden in Lima for what was expected to be their last meeting before Biden leaves office."),
  ("Xi Jinping meets Putin in Kazan at Brics summit", "Xi Jinping held talks with Vladimir Putin in the Russian city of Kazan, where the two leaders praised their strategic partnership."),
  ("Xi Jinping meets Modi for first formal talks in five years", "China's Xi Jinping and India's Narendra Modi met in Kazan, days after their countries reached a deal on border patrols."),
  ("Xi Jinping meets Starmer at G20 in Rio", "Keir Starmer became the first British prime minister to meet Xi Jinping since 2018, on the sidelines of the G20 in Rio de Janeiro.")])
series("quakes", [
  ("Magnitude 6.2 earthquake strikes off Vanuatu", "A magnitude 6.2 earthquake struck off Vanuatu on Sunday at a depth of 10km, the US Geological Survey said, with no tsunami threat."),
  ("Magnitude 7.3 earthquake strikes off Vanuatu", "A powerful magnitude 7.3 earthquake struck near Port Vila, Vanuatu's capital, on Tuesday, damaging buildings including embassies, the USGS said."),
  ("Magnitude 5.8 earthquake strikes northern Chile", "A magnitude 5.8 earthquake shook northern Chile near Calama on Thursday, the national seismological centre said, with no damage reported."),
  ("Magnitude 6.0 earthquake strikes Papua New Guinea", "A magnitude 6.0 earthquake struck Papua New Guinea's East Sepik province on Monday, the US Geological Survey said.")])
series("eurovision", [
  ("Eurovision 2024: Switzerland's Nemo wins", "Switzerland's Nemo won the Eurovision Song Contest in Malmo with The Code, becoming the first non-binary winner of the competition."),
  ("Eurovision 2024 final: full running order revealed", "Organisers have published the running order for Saturday's Eurovision final in Malmo, with Sweden opening the show."),
  ("Eurovision 2024: Netherlands' Joost Klein disqualified", "The Netherlands' entrant Joost Klein has been disqualified from the Eurovision final over an incident after his semi-final performance."),
  ("Eurovision 2024: Israel qualifies for final amid protests", "Israel's Eden Golan reached the Eurovision final in Malmo after a semi-final marked by protests outside the arena.")])

def row(label, a, b):
    for s in (*a, *b):
        assert "\t" not in s and "\n" not in s
    return "\t".join((label, a[0], a[1], b[0], b[1]))

out = ["# label\ttitle_a\tlead_a\ttitle_b\tlead_b",
       "# Fresh batch (issue 12, round 3), written by scripts/fingerprint-pairs-fresh.py before any rule was",
       "# changed after the round-2 test half had been looked at. Each cluster: one entity in two events, each",
       "# event in three outlets' words; 'same' = two versions of one event, 'different' = same entity,",
       "# different event (named vs delayed, declares vs impeached, resigns vs appointed, ...)."]
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

"""Name pools for synthetic clinicians: common US names, and names by heritage language."""


def _words(text: str) -> tuple[str, ...]:
    """The space-separated names in `text`."""
    return tuple(text.split())


FEMALE = _words(
    "Mary Jennifer Linda Elizabeth Susan Jessica Sarah Karen Lisa Nancy Sandra Ashley Emily "
    "Michelle Amanda Melissa Stephanie Rebecca Laura Amy Kimberly Angela Heather Rachel Nicole "
    "Katherine Christine Samantha Megan Lauren Hannah Olivia Emma Abigail Madison Alyssa Julia "
    "Erin Kathleen Allison Caitlin Danielle Courtney Brittany Jacqueline Meredith Molly Shannon "
    "Tiffany Vanessa Monica Andrea Erica Kristen Natalie Alexandra Catherine Margaret Diane "
    "Deborah Carol Janet Ruth Joan Sharon Donna Cynthia Kelly Tracy Dana Leah Naomi Miriam "
    "Keisha Tamika Aaliyah Imani Jasmine Ebony Latoya Shanice Grace Claire Nora Anna Ellen"
)
MALE = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Steven Paul Andrew Joshua Kevin Brian George Timothy Ryan Jason "
    "Jeffrey Eric Jonathan Benjamin Samuel Nathan Adam Patrick Sean Peter Gregory Scott Aaron "
    "Ethan Jacob Noah Owen Henry Alexander Marcus Darnell Terrence Jamal Andre Malik Derek "
    "Kenneth Douglas Dennis Philip Alan Martin Frank Raymond Edward Keith Neil Colin Simon"
)
NEUTRAL = _words("Alex Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Rowan Sam Robin")
SURNAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright "
    "Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell "
    "Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
    "Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood Bennett Gray Hughes Price "
    "Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Bell Coleman Butler "
    "Henderson Barnes Fisher Vasquez Simmons Graham Marshall Owens Harrison Gibson Wallace "
    "Hamilton Ellis McDonald Kennedy Burke O'Brien Walsh Byrne Doyle Fitzgerald Gallagher "
    "Schneider Weber Becker Hoffman Goldberg Cohen Levine Friedman Shapiro Katz Rosen Stein "
    "Kowalski Nowak Russo Romano Ricci Greco Bianchi Jensen Larsen Olson Lindqvist Novak"
)
# Native language -> (female first names, male first names, surnames).
HERITAGE = {
    "es": (
        _words(
            "María Ana Sofía Isabel Gabriela Lucía Carmen Rosa Elena Valeria Daniela Adriana Paola"
        ),
        _words("José Luis Carlos Juan Miguel Jorge Alejandro Diego Manuel Javier Ricardo Andrés"),
        _words(
            "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
            "Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Ramos Castillo Vargas "
            "Mendoza Ruiz Álvarez Jiménez Romero Herrera Medina Aguilar Santiago Delgado"
        ),
    ),
    "zh": (
        _words("Wei Mei Xiu Ying Li Hui Fang Jing Yan Lan"),
        _words("Wei Jun Hao Ming Jian Lei Tao Yong Feng Bo"),
        _words("Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Lin Xu Sun Ma Zhu Hu Guo Lee Wong"),
    ),
    "vi": (
        _words("Linh Mai Lan Thu Hoa Ngoc Trang Huong"),
        _words("Minh Tuan Duc Khoa Long Quang Huy Thanh"),
        _words("Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong"),
    ),
    "tl": (
        _words("Maria Cristina Rosario Liza Marites Jocelyn Rowena"),
        _words("Jose Rommel Arnel Ramon Renato Emmanuel Jericho"),
        _words("Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Villanueva Aquino Ramos"),
    ),
    "ko": (
        _words("Ji-won Soo-jin Min-ji Hye-jin Eun-ji Yuna"),
        _words("Min-jun Ji-hoon Sung-min Dong-hyun Hyun-woo Jae"),
        _words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han"),
    ),
    "ar": (
        _words("Amal Layla Noor Fatima Rania Yasmin Huda Mariam"),
        _words("Omar Ahmed Youssef Khalid Karim Tariq Samir Nabil"),
        _words("Haddad Khoury Hassan Mansour Nasser Saleh Ibrahim Aziz Khalil Farah"),
    ),
    "ht": (
        _words("Marie Nadège Guerline Fabienne Mirlande Roseline"),
        _words("Jean Jean-Baptiste Wesner Frantz Ronald Reginald"),
        _words("Pierre Jean-Louis Joseph Charles Louis Celestin Dorcely Toussaint Desir Augustin"),
    ),
    "fr": (
        _words("Marie Camille Claire Élodie Sophie Nathalie"),
        _words("Jean Pierre Luc François Olivier Thierry"),
        _words("Martin Bernard Dubois Moreau Laurent Lefebvre Girard Fontaine"),
    ),
    "pt": (
        _words("Ana Fernanda Mariana Juliana Beatriz Luíza Patrícia"),
        _words("João Pedro Rafael Thiago Gustavo Paulo Marcelo"),
        _words(
            "Silva Santos Oliveira Souza Costa Pereira Ferreira Almeida Carvalho Rodrigues "
            "Medeiros Furtado Pacheco"
        ),
    ),
    "ru": (
        _words("Elena Olga Natalia Irina Svetlana Anna Tatiana"),
        _words("Dmitri Sergei Alexei Ivan Mikhail Andrei Yuri"),
        _words("Ivanov Petrov Smirnov Volkov Kuznetsov Popov Sokolov Lebedev Orlov"),
    ),
    "hi": (
        _words("Priya Anjali Neha Kavya Pooja Sunita"),
        _words("Rahul Arjun Vikram Sanjay Amit Rohan"),
        _words("Patel Sharma Singh Gupta Kumar Mehta Shah Reddy Iyer Desai Joshi"),
    ),
}
# Languages whose speakers share another language's name pool.
HERITAGE_ALIASES = {"gu": "hi", "ur": "hi", "te": "hi", "bn": "hi", "ja": "ko"}

"""Short names of the OKVED 2 divisions (two-digit codes; the same divisions as NACE Rev. 2), so the
passport's sector chart says "29 Автотранспортные средства" instead of a bare "29".

Classification data, not interface wording (like place names): both languages are kept here rather
than in the Qt Linguist catalogue. Names are shortened from the official titles to fit a chart label.
"""

from __future__ import annotations

#: division -> (Russian, English)
DIVISIONS: dict[str, tuple[str, str]] = {
    "01": ("Растениеводство и животноводство", "Crop and animal production"),
    "02": ("Лесное хозяйство", "Forestry and logging"),
    "03": ("Рыболовство и рыбоводство", "Fishing and aquaculture"),
    "05": ("Добыча угля", "Mining of coal"),
    "06": ("Добыча нефти и газа", "Crude petroleum and natural gas"),
    "07": ("Добыча металлических руд", "Mining of metal ores"),
    "08": ("Добыча прочих полезных ископаемых", "Other mining and quarrying"),
    "09": ("Услуги в добыче полезных ископаемых", "Mining support services"),
    "10": ("Пищевые продукты", "Food products"),
    "11": ("Напитки", "Beverages"),
    "12": ("Табачные изделия", "Tobacco products"),
    "13": ("Текстильные изделия", "Textiles"),
    "14": ("Одежда", "Wearing apparel"),
    "15": ("Кожа и изделия из кожи", "Leather products"),
    "16": ("Обработка древесины", "Wood and wood products"),
    "17": ("Бумага и бумажные изделия", "Paper and paper products"),
    "18": ("Полиграфия и копирование", "Printing and recorded media"),
    "19": ("Кокс и нефтепродукты", "Coke and refined petroleum"),
    "20": ("Химические вещества и продукты", "Chemicals and chemical products"),
    "21": ("Лекарственные средства", "Pharmaceutical products"),
    "22": ("Резиновые и пластмассовые изделия", "Rubber and plastic products"),
    "23": ("Неметаллическая минеральная продукция", "Non-metallic mineral products"),
    "24": ("Металлургия", "Basic metals"),
    "25": ("Готовые металлические изделия", "Fabricated metal products"),
    "26": ("Компьютеры, электроника, оптика", "Computers, electronics, optics"),
    "27": ("Электрическое оборудование", "Electrical equipment"),
    "28": ("Машины и оборудование", "Machinery and equipment"),
    "29": ("Автотранспортные средства", "Motor vehicles and trailers"),
    "30": ("Прочие транспортные средства", "Other transport equipment"),
    "31": ("Мебель", "Furniture"),
    "32": ("Прочие готовые изделия", "Other manufacturing"),
    "33": ("Ремонт и монтаж машин", "Repair and installation of machinery"),
    "35": ("Электроэнергия, газ и пар", "Electricity, gas and steam"),
    "36": ("Водоснабжение", "Water supply"),
    "37": ("Водоотведение", "Sewerage"),
    "38": ("Сбор и утилизация отходов", "Waste collection and treatment"),
    "39": ("Ликвидация загрязнений", "Remediation"),
    "41": ("Строительство зданий", "Construction of buildings"),
    "42": ("Инженерные сооружения", "Civil engineering"),
    "43": ("Специализированные строительные работы", "Specialised construction"),
    "45": ("Торговля и ремонт автотранспорта", "Motor vehicle trade and repair"),
    "46": ("Оптовая торговля", "Wholesale trade"),
    "47": ("Розничная торговля", "Retail trade"),
    "49": ("Сухопутный и трубопроводный транспорт", "Land and pipeline transport"),
    "50": ("Водный транспорт", "Water transport"),
    "51": ("Воздушный и космический транспорт", "Air transport"),
    "52": ("Складское хозяйство", "Warehousing and transport support"),
    "53": ("Почтовая и курьерская связь", "Postal and courier activities"),
    "55": ("Гостиницы и временное проживание", "Accommodation"),
    "56": ("Общественное питание", "Food and beverage services"),
    "58": ("Издательская деятельность", "Publishing"),
    "59": ("Кино, видео, звукозапись", "Film, video and sound recording"),
    "60": ("Теле- и радиовещание", "Broadcasting"),
    "61": ("Телекоммуникации", "Telecommunications"),
    "62": ("Разработка программного обеспечения", "Computer programming and consultancy"),
    "63": ("Информационные технологии", "Information services"),
    "64": ("Финансовые услуги", "Financial services"),
    "65": ("Страхование и пенсионное обеспечение", "Insurance and pension funding"),
    "66": ("Вспомогательные финансовые услуги", "Auxiliary financial services"),
    "68": ("Операции с недвижимостью", "Real estate"),
    "69": ("Право и бухгалтерский учёт", "Legal and accounting"),
    "70": ("Управление и консалтинг", "Head offices and management consultancy"),
    "71": ("Архитектура, инженерия, испытания", "Architecture, engineering, testing"),
    "72": ("Научные исследования и разработки", "Scientific research and development"),
    "73": ("Реклама и исследование рынка", "Advertising and market research"),
    "74": ("Прочая профессиональная деятельность", "Other professional activities"),
    "75": ("Ветеринарная деятельность", "Veterinary activities"),
    "77": ("Аренда и лизинг", "Rental and leasing"),
    "78": ("Подбор персонала", "Employment activities"),
    "79": ("Туристические агентства", "Travel agencies and tour operators"),
    "80": ("Безопасность и расследования", "Security and investigation"),
    "81": ("Обслуживание зданий и территорий", "Services to buildings and landscape"),
    "82": ("Административно-хозяйственные услуги", "Office and business support"),
    "84": ("Государственное управление", "Public administration and defence"),
    "85": ("Образование", "Education"),
    "86": ("Здравоохранение", "Human health"),
    "87": ("Уход с обеспечением проживания", "Residential care"),
    "88": ("Социальные услуги без проживания", "Social work without accommodation"),
    "90": ("Творчество и искусство", "Creative and arts activities"),
    "91": ("Библиотеки, архивы, музеи", "Libraries, archives and museums"),
    "92": ("Азартные игры", "Gambling and betting"),
    "93": ("Спорт, отдых и развлечения", "Sports, amusement and recreation"),
    "94": ("Общественные организации", "Membership organisations"),
    "95": ("Ремонт компьютеров и бытовых товаров", "Repair of computers and household goods"),
    "96": ("Прочие персональные услуги", "Other personal services"),
    "97": ("Домашние хозяйства как работодатели", "Households as employers"),
    "98": ("Домашние хозяйства для себя", "Households' own-use production"),
    "99": ("Экстерриториальные организации", "Extraterritorial organisations"),
}


def division_label(code: str, lang: str) -> str:
    """"29 Автотранспортные средства" ("29 Motor vehicles and trailers"); the bare code when the
    division is unknown (a code outside OKVED 2 stays as the user typed it)."""
    names = DIVISIONS.get(code)
    if names is None:
        return code
    return f"{code} {names[0] if lang == 'ru' else names[1]}"

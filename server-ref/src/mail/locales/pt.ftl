# E-mail transacional, português.
footer = Recebe esta mensagem devido à sua atividade em { $store }.
link-fallback = Se o botão não funcionar, copie este endereço para o seu navegador:
order-heading = Encomenda { $order }
order-quantity = Quantidade
order-subtotal = Subtotal
order-shipping = Envio
order-tax = Impostos
order-tax-included = Impostos incluídos
order-total = Total
downloads-heading = As suas transferências
downloads-note = Cada ligação funciona um número limitado de vezes e expira.

order-confirmation-subject = { $store }: a sua encomenda está confirmada
order-confirmation-heading = Obrigado pela sua encomenda
order-confirmation-intro = Recebemos o seu pagamento da encomenda { $order }.

payment-failed-subject = { $store }: o seu pagamento não foi concluído
payment-failed-heading = O seu pagamento não foi concluído
payment-failed-intro = O pagamento da encomenda { $order } foi recusado e a encomenda foi cancelada. Nada foi cobrado; pode encomendar novamente.

refunded-subject = { $store }: a sua encomenda foi reembolsada
refunded-heading = A sua encomenda foi reembolsada
refunded-intro = A encomenda { $order } foi reembolsada: { $amount } volta para o seu meio de pagamento. As suas ligações de transferência deixaram de funcionar.

password-reset-subject = { $store }: escolha uma nova palavra-passe
password-reset-heading = Escolha uma nova palavra-passe
password-reset-intro = Alguém pediu para redefinir a palavra-passe da sua conta em { $store }. Se foi você, escolha uma nova palavra-passe com esta ligação dentro de uma hora.
password-reset-action = Escolher uma nova palavra-passe
password-reset-ignore = Se não o pediu, ignore esta mensagem: a sua palavra-passe não muda.

invitation-subject = { $store }: foi convidado para a consola
invitation-heading = Foi convidado
invitation-intro = Foi convidado para gerir { $store } como { $role }. Escolha a sua palavra-passe com esta ligação antes de { $expires }.
invitation-action = Aceitar o convite

access-link-subject = { $store }: as suas encomendas
access-link-heading = As suas encomendas
access-link-intro = Abra esta ligação para ver as suas encomendas e transferências em { $store }. Funciona uma vez, durante { $minutes } minutos.
access-link-action = Ver as minhas encomendas
access-link-ignore = Se não o pediu, ignore esta mensagem.

partly-refunded-subject = { $store }: parte da sua encomenda foi reembolsada
partly-refunded-heading = Parte da sua encomenda foi reembolsada
partly-refunded-intro = { $amount } da encomenda { $order } volta para o seu meio de pagamento.
shipped-subject = { $store }: a sua encomenda está a caminho
shipped-heading = A sua encomenda está a caminho
shipped-intro = Um volume da encomenda { $order } saiu com { $carrier }. Número de seguimento: { $tracking }.

# Transactional email, English. Every message id exists in each language's file (a unit test
# checks), so a message never mixes languages.
footer = You receive this message because of your activity at { $store }.
link-fallback = If the button does not work, copy this address into your browser:
order-heading = Order { $order }
order-quantity = Quantity
order-subtotal = Subtotal
order-shipping = Shipping
order-tax = Tax
order-tax-included = Including tax
order-total = Total
downloads-heading = Your downloads
downloads-note = Each link works a limited number of times and expires.

order-confirmation-subject = { $store }: your order is confirmed
order-confirmation-heading = Thank you for your order
order-confirmation-intro = We have received your payment for order { $order }.

payment-failed-subject = { $store }: your payment did not go through
payment-failed-heading = Your payment did not go through
payment-failed-intro = The payment for order { $order } was refused, so the order was cancelled. Nothing was charged; you are welcome to order again.

refunded-subject = { $store }: your order was refunded
refunded-heading = Your order was refunded
refunded-intro = Order { $order } was refunded: { $amount } goes back to your payment method. Its download links no longer work.

password-reset-subject = { $store }: choose a new password
password-reset-heading = Choose a new password
password-reset-intro = Someone asked to reset the password of your account at { $store }. If it was you, choose a new password with this link within the hour.
password-reset-action = Choose a new password
password-reset-ignore = If you did not ask for it, ignore this message: your password stays as it is.

invitation-subject = { $store }: you are invited to the console
invitation-heading = You are invited
invitation-intro = You are invited to manage { $store } as { $role }. Choose your password with this link before { $expires }.
invitation-action = Accept the invitation

access-link-subject = { $store }: your orders
access-link-heading = Your orders
access-link-intro = Open this link to see your orders and downloads at { $store }. It works once, within { $minutes } minutes.
access-link-action = See my orders
access-link-ignore = If you did not ask for it, ignore this message.

partly-refunded-subject = { $store }: part of your order was refunded
partly-refunded-heading = Part of your order was refunded
partly-refunded-intro = { $amount } of order { $order } goes back to your payment method.
shipped-subject = { $store }: your order is on its way
shipped-heading = Your order is on its way
shipped-intro = A parcel of order { $order } left with { $carrier }. Tracking number: { $tracking }.
